package dev.mizzen.pilot.xds;

import com.github.benmanes.caffeine.cache.Interner;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The names one stream subscribes to of one type, as one instance shared by every stream that subscribes
 * to equal names: the sidecars of a namespace ask for the same 1,300 endpoint sets. Sharing keeps one copy
 * in memory, makes cache keys built on it compare by reference and hash once, and lets an ACK (which
 * repeats every name) be recognised by comparing it with the names as first asked, in order.
 *
 * <p>Threading: immutable but for its service hosts, computed once on first use (racing threads compute
 * equal sets); instances are interned weakly, so a set no stream holds goes away.
 */
final class NameSet extends AbstractSet<String> {
    static final NameSet EMPTY = new NameSet(List.of());
    private static final Interner<NameSet> INTERNED = Interner.newWeakInterner();

    private final Set<String> names;
    private final List<String> asked;
    private final int hash;
    private volatile Set<String> hosts;

    private NameSet(List<String> asked) {
        this.asked = asked.stream().map(String::intern).toList();
        this.names = Set.copyOf(this.asked);
        this.hash = names.hashCode();
    }

    /** The shared instance for these names, each as the one canonical (interned) string. */
    static NameSet of(List<String> asked) {
        return asked.isEmpty() ? EMPTY : INTERNED.intern(new NameSet(asked));
    }

    /**
     * True when {@code request} names exactly these: a client repeats its names in the same order, so they
     * are compared side by side first (no hashing), and only otherwise looked up one by one.
     */
    boolean sameAs(List<String> request) {
        if (request.size() != names.size()) {
            return false;
        }
        if (request.equals(asked)) {
            return true;
        }
        return names.containsAll(request) && request.size() == Set.copyOf(request).size();
    }

    /** The service hosts of the names (cluster names), as {@link Subscription#concerns} reads them. */
    Set<String> hosts() {
        Set<String> h = hosts;
        if (h == null) {
            h = names.stream().map(n -> XdsCache.hostOf(n).intern()).collect(Collectors.toUnmodifiableSet());
            hosts = h;
        }
        return h;
    }

    @Override
    public boolean contains(Object o) {
        return names.contains(o);
    }

    @Override
    public Iterator<String> iterator() {
        return names.iterator();
    }

    @Override
    public int size() {
        return names.size();
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof NameSet other ? hash == other.hash && names.equals(other.names) : super.equals(o));
    }
}
