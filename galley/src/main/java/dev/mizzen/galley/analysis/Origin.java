package dev.mizzen.galley.analysis;

import java.util.Comparator;
import java.util.Objects;

/**
 * The object a message is about: its Kubernetes kind, namespace ({@code ""} for a cluster-scoped object or an
 * object read from a file that names none) and name.
 */
public record Origin(String kind, String namespace, String name) implements Comparable<Origin> {
    private static final Comparator<Origin> ORDER = Comparator.comparing(Origin::kind)
            .thenComparing(Origin::namespace).thenComparing(Origin::name);

    public Origin {
        Objects.requireNonNull(kind, "kind");
        namespace = namespace == null ? "" : namespace;
        Objects.requireNonNull(name, "name");
    }

    /** Istio's {@code FriendlyName}: {@code VirtualService default/reviews}, or {@code Namespace staging}. */
    public String friendlyName() {
        return kind + " " + fullName();
    }

    /** {@code namespace/name}, or {@code name} without a namespace. */
    public String fullName() {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }

    @Override
    public int compareTo(Origin o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return friendlyName();
    }
}
