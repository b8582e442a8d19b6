package dev.mizzen.pilot.model;

import java.util.Optional;

/**
 * Istio's cluster names, {@code outbound|9080|v1|reviews.default.svc.cluster.local} and
 * {@code inbound|9080||}; proxyless gRPC route configs use the same form.
 */
public record ClusterName(Direction direction, int port, String subset, String hostname) {
    public enum Direction {
        INBOUND, OUTBOUND;

        String key() {
            return name().toLowerCase();
        }
    }

    public ClusterName {
        subset = subset == null ? "" : subset;
        hostname = hostname == null ? "" : hostname;
    }

    public static ClusterName outbound(int port, String subset, String hostname) {
        return new ClusterName(Direction.OUTBOUND, port, subset, hostname);
    }

    public static ClusterName inbound(int port) {
        return new ClusterName(Direction.INBOUND, port, "", "");
    }

    public static Optional<ClusterName> parse(String name) {
        String[] parts = name.split("\\|", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        Direction direction;
        if (parts[0].equals("outbound")) {
            direction = Direction.OUTBOUND;
        } else if (parts[0].equals("inbound")) {
            direction = Direction.INBOUND;
        } else {
            return Optional.empty();
        }
        try {
            int port = Integer.parseInt(parts[1]);
            return Optional.of(new ClusterName(direction, port, parts[2], parts[3]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public ClusterName withoutSubset() {
        return new ClusterName(direction, port, "", hostname);
    }

    @Override
    public String toString() {
        return direction.key() + "|" + port + "|" + subset + "|" + hostname;
    }
}
