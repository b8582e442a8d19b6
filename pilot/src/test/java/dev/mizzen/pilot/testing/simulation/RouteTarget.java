package dev.mizzen.pilot.testing.simulation;

import java.util.List;
import java.util.stream.Collectors;

/** What a matched route does. */
public sealed interface RouteTarget {

    /** Forward to one cluster (weight 100) or split over weighted clusters. */
    record Clusters(List<WeightedCluster> clusters) implements RouteTarget {
        public Clusters {
            clusters = List.copyOf(clusters);
        }

        @Override
        public String toString() {
            return clusters.size() == 1 ? "cluster " + clusters.get(0).name()
                    : clusters.stream().map(WeightedCluster::toString).collect(Collectors.joining(", ", "clusters [", "]"));
        }
    }

    record WeightedCluster(String name, int weight) {
        @Override
        public String toString() {
            return name + " " + weight;
        }
    }

    /** A redirect: {@code responseCode} and the resulting location (parts the route leaves unchanged stay). */
    record Redirect(int responseCode, String location) implements RouteTarget {
        @Override
        public String toString() {
            return "redirect " + responseCode + " " + location;
        }
    }

    record DirectResponse(int status, String body) implements RouteTarget {
        @Override
        public String toString() {
            return "direct response " + status + (body.isEmpty() ? "" : " \"" + body + "\"");
        }
    }
}
