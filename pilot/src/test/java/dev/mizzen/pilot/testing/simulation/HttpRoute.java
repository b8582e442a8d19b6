package dev.mizzen.pilot.testing.simulation;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP part of a result: the route configuration, virtual host and route that matched, and what the
 * route does. Fields after {@code virtualHost} are null or empty when no route matched.
 *
 * @param timeout Envoy's effective route timeout ("15s" when the route sets none, "0s" disables it)
 * @param retry   null without a retry policy
 * @param fault   null without a fault filter config in effect
 * @param rewrite path or host rewrites, e.g. "prefix_rewrite /"; empty for none
 */
public record HttpRoute(String routeConfig, String virtualHost, String route, RouteTarget target, String timeout,
                        RetryInfo retry, FaultInfo fault, List<String> mirrors, String rewrite) {

    public HttpRoute {
        mirrors = List.copyOf(mirrors);
    }

    static HttpRoute partial(String routeConfig, String virtualHost) {
        return new HttpRoute(routeConfig, virtualHost, null, null, null, null, null, List.of(), "");
    }

    /** "route 9080 > vhost reviews:9080 > route default" as far as it got. */
    String trace() {
        StringBuilder out = new StringBuilder("route ").append(routeConfig);
        if (virtualHost != null) {
            out.append(" > vhost ").append(virtualHost);
        }
        if (route != null) {
            out.append(" > route ").append(route);
        }
        return out.toString();
    }

    /** "timeout 0s, retries 2 on 5xx, fault abort 503 for 100.0%" */
    String policies() {
        List<String> parts = new ArrayList<>();
        if (timeout != null) {
            parts.add("timeout " + timeout);
        }
        if (retry != null) {
            parts.add("retries " + retry);
        }
        if (fault != null) {
            parts.add("fault " + fault);
        }
        if (!mirrors.isEmpty()) {
            parts.add("mirror " + String.join(", ", mirrors));
        }
        if (!rewrite.isEmpty()) {
            parts.add(rewrite);
        }
        return String.join(", ", parts);
    }
}
