package dev.mizzen.pilot.testing.simulation;

/** A cluster the request may go to, with its weight (100 for a single cluster); info null: cluster not found. */
public record Upstream(String cluster, int weight, ClusterInfo info) {
    public boolean found() {
        return info != null;
    }
}
