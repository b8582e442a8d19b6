package dev.mizzen.galley.validation;

import java.util.List;
import java.util.function.Function;

/**
 * Istio's rules for route weights, shared by HTTP, TCP and TLS routes: each weight >= 0; with several
 * destinations the total must be > 0 (weights are relative); a single destination may leave its weight out.
 * Weights of several destinations that do not sum to 100 are accepted with a warning.
 */
final class RouteWeights {
    private RouteWeights() {
    }

    static <D> void check(Findings out, FieldPath route, List<D> destinations, Function<D, Integer> weight) {
        if (destinations.isEmpty()) {
            return;
        }
        long total = 0;
        boolean negative = false;
        for (int i = 0; i < destinations.size(); i++) {
            Integer w = weight.apply(destinations.get(i));
            if (w == null) {
                continue;
            }
            if (w < 0) {
                out.error(route.index(i).field("weight"), "weight " + w + " is negative; weights must be >= 0");
                negative = true;
            } else {
                total += w;
            }
        }
        if (destinations.size() > 1 && !negative) {
            if (total == 0) {
                out.error(route, "the weights of " + destinations.size()
                        + " destinations add up to 0; at least one must be > 0");
            } else if (total != 100) {
                out.warning(route, "the weights add up to " + total
                        + ", not 100; traffic is split in proportion to them");
            }
        }
    }
}
