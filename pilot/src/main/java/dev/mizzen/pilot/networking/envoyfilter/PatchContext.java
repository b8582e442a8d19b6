package dev.mizzen.pilot.networking.envoyfilter;

/**
 * Where a generated object sits, as an EnvoyFilter's {@code match.context} names it. {@code ANY} in a patch
 * matches every context.
 */
public enum PatchContext {
    ANY, SIDECAR_INBOUND, SIDECAR_OUTBOUND, GATEWAY, WAYPOINT;

    static PatchContext parse(String value) {
        if (value == null || value.isEmpty()) {
            return ANY;
        }
        return valueOf(value);
    }
}
