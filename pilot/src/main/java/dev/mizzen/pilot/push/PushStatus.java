package dev.mizzen.pilot.push;

import java.time.Instant;
import java.util.Map;

/**
 * What the last push was: when it started and ended, why, and what istiod noticed about the config while building
 * it. {@code problems} has the shape of Istio's {@code PushContext.ProxyStatus} ({@code /debug/push_status}):
 * metric or check name -> key (a config, a cluster) -> message.
 *
 * @param version push context version
 * @param configs how many config objects of each kind the push context holds, by kind name
 */
public record PushStatus(long version, Instant start, Instant end, PushRequest request, int services,
                         Map<String, Integer> configs, Map<String, Map<String, String>> problems) {
    public PushStatus {
        configs = Map.copyOf(configs);
        problems = Map.copyOf(problems);
    }
}
