package dev.mizzen.pilot.networking.route;

import dev.mizzen.api.networking.Headers;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Istio's header set/add/remove as Envoy header options. Pure. */
final class HeaderOperations {
    private HeaderOperations() {
    }

    static void apply(Headers headers, Route.Builder route) {
        if (headers == null) {
            return;
        }
        if (headers.request() != null) {
            route.addAllRequestHeadersToAdd(options(headers.request()));
            route.addAllRequestHeadersToRemove(headers.request().remove());
        }
        if (headers.response() != null) {
            route.addAllResponseHeadersToAdd(options(headers.response()));
            route.addAllResponseHeadersToRemove(headers.response().remove());
        }
    }

    static void apply(Headers headers, WeightedCluster.ClusterWeight.Builder cluster) {
        if (headers == null) {
            return;
        }
        if (headers.request() != null) {
            cluster.addAllRequestHeadersToAdd(options(headers.request()));
            cluster.addAllRequestHeadersToRemove(headers.request().remove());
        }
        if (headers.response() != null) {
            cluster.addAllResponseHeadersToAdd(options(headers.response()));
            cluster.addAllResponseHeadersToRemove(headers.response().remove());
        }
    }

    private static List<HeaderValueOption> options(dev.mizzen.api.networking.HeaderOperations ops) {
        List<HeaderValueOption> out = new ArrayList<>();
        add(out, ops.set(), HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD);
        add(out, ops.add(), HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD);
        return out;
    }

    private static void add(List<HeaderValueOption> out, Map<String, String> headers, HeaderAppendAction action) {
        new TreeMap<>(headers).forEach((name, value) -> out.add(HeaderValueOption.newBuilder()
                .setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
                .setAppendAction(action)
                .build()));
    }
}
