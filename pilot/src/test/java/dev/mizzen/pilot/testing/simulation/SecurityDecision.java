package dev.mizzen.pilot.testing.simulation;

import java.util.Map;

/**
 * What an inbound chain's security filters did with a request: its HTTP status (200 allowed, 401 rejected
 * by jwt_authn, 403 denied by RBAC or the authorizer; for TCP, 200 or a closed connection as 403), which
 * filter decided and why, and the dynamic metadata the filters wrote (dry-run results among it).
 */
public record SecurityDecision(int status, String decidedBy, String reason, Map<String, Map<String, Object>> metadata) {
    public SecurityDecision {
        metadata = Map.copyOf(metadata);
    }

    public boolean allowed() {
        return status == 200;
    }

    /** A dry-run result: {@code allowed}/{@code denied} under {@code <prefix>shadow_engine_result}, or null. */
    public String shadowResult(String filter, String statPrefix) {
        Map<String, Object> m = metadata.get(filter);
        return m == null ? null : (String) m.get(statPrefix + "shadow_engine_result");
    }

    @Override
    public String toString() {
        return status + " by " + decidedBy + " (" + reason + ")";
    }
}
