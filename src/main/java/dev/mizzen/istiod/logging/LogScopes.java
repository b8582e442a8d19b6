package dev.mizzen.istiod.logging;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Istio's log scopes ({@code pilot-discovery --log_output_level=ads:debug,...}) and the loggers each one means
 * here, so the scope names from Istio's docs and habits select the same kind of lines. A logger in none of them is
 * in {@code default}. Immutable.
 */
public final class LogScopes {
    /** Scope -> logger name prefixes. */
    static final Map<String, List<String>> SCOPES = scopes();

    private LogScopes() {
    }

    private static Map<String, List<String>> scopes() {
        Map<String, List<String>> out = new TreeMap<>();
        out.put("ads", List.of("dev.mizzen.pilot.xds"));
        out.put("model", List.of("dev.mizzen.pilot.model", "dev.mizzen.pilot.push", "dev.mizzen.pilot.networking"));
        out.put("kube", List.of("dev.mizzen.pilot.serviceregistry"));
        out.put("inject", List.of("dev.mizzen.pilot.inject", "dev.mizzen.istiod.inject"));
        out.put("security", List.of("dev.mizzen.pilot.security"));
        out.put("ca", List.of("dev.mizzen.citadel"));
        out.put("validation", List.of("dev.mizzen.galley.validation", "dev.mizzen.galley.webhook", "dev.mizzen.istiod.webhook"));
        out.put("analysis", List.of("dev.mizzen.galley.analysis", "dev.mizzen.istiod.analysis"));
        out.put("monitoring", List.of("dev.mizzen.istiod.monitoring", "dev.mizzen.istiod.debug"));
        out.put("local", List.of("dev.mizzen.istiod.local"));
        out.put("grpc", List.of("io.grpc"));
        out.put("klog", List.of("io.fabric8"));
        out.put("default", List.of("dev.mizzen"));
        return Map.copyOf(out);
    }

    public static boolean exists(String scope) {
        return SCOPES.containsKey(scope);
    }

    public static String names() {
        return String.join(", ", new TreeMap<>(SCOPES).keySet());
    }

    static List<String> loggers(String scope) {
        return SCOPES.getOrDefault(scope, List.of());
    }

    /** The scope a logger writes in: the one with the longest matching prefix, else {@code default}. */
    static String of(String loggerName) {
        String best = "default";
        int bestLength = -1;
        for (Map.Entry<String, List<String>> e : SCOPES.entrySet()) {
            for (String prefix : e.getValue()) {
                if ((loggerName.equals(prefix) || loggerName.startsWith(prefix + ".")) && prefix.length() > bestLength
                        && !e.getKey().equals("default")) {
                    best = e.getKey();
                    bestLength = prefix.length();
                }
            }
        }
        return best;
    }
}
