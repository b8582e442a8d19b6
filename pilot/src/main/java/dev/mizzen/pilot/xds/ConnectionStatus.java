package dev.mizzen.pilot.xds;

import java.util.Map;

/**
 * What one connected proxy was last sent and acknowledged, per type URL.
 *
 * @param sent       type URL -> version last sent
 * @param acked      type URL -> version last acknowledged
 * @param subscribed true when it asked for every resource its config refers to
 */
public record ConnectionStatus(String proxyId, Map<String, String> sent, Map<String, String> acked, int nacks,
                               boolean subscribed) {
    public ConnectionStatus {
        sent = Map.copyOf(sent);
        acked = Map.copyOf(acked);
    }

    /** True when the proxy acknowledged everything it was sent and asked for everything it needs. */
    public boolean inSync() {
        return !sent.isEmpty() && sent.equals(acked) && subscribed;
    }
}
