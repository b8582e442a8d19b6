package dev.mizzen.pilot.xds;

import dev.mizzen.pilot.model.PushContext;

/** A push context together with the cache of what was generated from it. */
public record PushSnapshot(PushContext context, XdsCache cache) {
    public static PushSnapshot fresh(PushContext context) {
        return new PushSnapshot(context, new XdsCache());
    }
}
