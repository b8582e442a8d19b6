package dev.mizzen.pilot.xds;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable list of generated resources that the cache hands to every proxy that needs it, with its
 * response version ({@link ResponseVersion}) computed once, the first time a stream asks, instead of
 * once per stream: a thousand sidecars of one namespace then hash their 1,300 endpoint sets once per push,
 * not a thousand times.
 *
 * <p>Threading: the resources never change; the version is written at most a few times (threads that race
 * compute the same value) through a volatile field.
 */
final class ResourceList extends AbstractList<XdsResource> implements RandomAccess {
    private final List<XdsResource> resources;
    private volatile String version;

    private ResourceList(List<XdsResource> resources) {
        this.resources = resources;
    }

    static ResourceList of(List<XdsResource> resources) {
        return resources instanceof ResourceList list ? list : new ResourceList(List.copyOf(resources));
    }

    @Override
    public XdsResource get(int index) {
        return resources.get(index);
    }

    @Override
    public int size() {
        return resources.size();
    }

    /** The response version of these resources: remembered by a cached list, computed for any other. */
    static String versionOf(java.util.Collection<XdsResource> resources) {
        return resources instanceof ResourceList list ? list.version() : ResponseVersion.compute(resources);
    }

    String version() {
        String v = version;
        if (v == null) {
            v = ResponseVersion.compute(resources);
            version = v;
        }
        return v;
    }
}
