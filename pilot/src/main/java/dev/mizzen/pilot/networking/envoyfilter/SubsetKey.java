package dev.mizzen.pilot.networking.envoyfilter;

/**
 * A cluster or route configuration name read as Istio's {@code model.ParseSubsetKey} reads it:
 * {@code direction|port|subset|hostname}, any part empty or zero when missing or not a number. Looser than
 * {@code ClusterName.parse}: EnvoyFilter matches must see the parts of names Mizzen would not generate.
 */
record SubsetKey(String direction, int port, String subset, String hostname) {
    static SubsetKey parse(String name) {
        String[] parts = name.split("\\|", -1);
        if (parts.length < 4) {
            return new SubsetKey(parts.length > 0 ? parts[0] : "", parts.length > 1 ? number(parts[1]) : 0, "", "");
        }
        return new SubsetKey(parts[0], number(parts[1]), parts[2], parts[3]);
    }

    private static int number(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
