package dev.mizzen.bench.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared copy of equal strings (resource versions) for the proxies of a fleet: delta proxies keep the
 * version of every resource they hold, thousands per sidecar, and the versions of a group's proxies are equal.
 *
 * <p>Threading: a concurrent map, cleared when it grows past {@link #MAX_ENTRIES}, which bounds it.
 */
final class StringInterner {
    private static final int MAX_ENTRIES = 200_000;

    private final Map<String, String> strings = new ConcurrentHashMap<>();

    String intern(String s) {
        String known = strings.get(s);
        if (known != null) {
            return known;
        }
        if (strings.size() >= MAX_ENTRIES) {
            strings.clear();
        }
        String raced = strings.putIfAbsent(s, s);
        return raced == null ? s : raced;
    }
}
