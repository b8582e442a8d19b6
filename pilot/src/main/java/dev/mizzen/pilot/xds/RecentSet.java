package dev.mizzen.pilot.xds;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A set that keeps only its most recently added {@code capacity} elements: what a stream remembers a proxy
 * rejected. A proxy that rejects every push would otherwise make its stream grow with each push; forgetting
 * an old rejected version costs at most one re-send of config that has long been replaced anyway.
 *
 * <p>Not thread-safe: owned by one stream, used under its lock.
 */
final class RecentSet<E> extends AbstractSet<E> {
    private final Map<E, Boolean> elements;

    RecentSet(int capacity) {
        this.elements = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<E, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public boolean add(E e) {
        return elements.put(e, Boolean.TRUE) == null;
    }

    @Override
    public boolean contains(Object o) {
        return elements.containsKey(o);
    }

    @Override
    public Iterator<E> iterator() {
        return elements.keySet().iterator();
    }

    @Override
    public int size() {
        return elements.size();
    }
}
