package dev.mizzen.bench.proxy;

import java.util.Set;

/**
 * What a proxy asks for of one type: everything (wildcard, as Envoy does for CDS and LDS) or the named
 * resources.
 */
public record Subscription(boolean wildcard, Set<String> names) {
    public Subscription {
        names = Set.copyOf(names);
    }

    public static Subscription all() {
        return new Subscription(true, Set.of());
    }

    public static Subscription of(Set<String> names) {
        return new Subscription(false, names);
    }

    /** True when a response holding {@code received} answers this subscription in full. */
    public boolean satisfiedBy(Set<String> received) {
        return wildcard || received.containsAll(names);
    }

    public boolean includesAny(Set<String> resourceNames) {
        if (wildcard) {
            return true;
        }
        for (String name : resourceNames) {
            if (names.contains(name)) {
                return true;
            }
        }
        return false;
    }
}
