package dev.mizzen.galley.validation;

import dev.mizzen.api.security.PeerAuthentication;

import java.util.Set;

/**
 * PeerAuthentication: mTLS modes, and per-port modes only for selected workloads (a mesh- or namespace-wide
 * policy has no ports to speak of), on ports 1..65535.
 */
final class PeerAuthenticationValidator implements KindValidator<PeerAuthentication> {
    private static final Set<String> MODES = Set.of("UNSET", "DISABLE", "PERMISSIVE", "STRICT");

    @Override
    public void validate(PeerAuthentication pa, String namespace, Findings out) {
        FieldPath spec = FieldPath.SPEC;
        boolean noSelector = pa.selector() == null || pa.selector().matchLabels().isEmpty();
        if (noSelector && !pa.portLevelMtls().isEmpty()) {
            out.error(spec.field("portLevelMtls"), "mesh/namespace peer authentication cannot have port level mTLS");
        }
        if (pa.mtls() != null) {
            Enums.check(out, spec.field("mtls").field("mode"), pa.mtls().mode(), MODES);
        }
        pa.portLevelMtls().forEach((port, mtls) -> {
            FieldPath p = spec.field("portLevelMtls").key(port);
            if (!isPort(port)) {
                out.error(p, "port must be in range 1..65535");
            }
            Enums.check(out, p.field("mode"), mtls.mode(), MODES);
        });
        if (pa.selector() != null) {
            Labels.checkSelector(out, spec.field("selector").field("matchLabels"), pa.selector().matchLabels(),
                    "workload selector specified without labels");
        }
    }

    private static boolean isPort(String key) {
        try {
            int port = Integer.parseInt(key);
            return port >= 1 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
