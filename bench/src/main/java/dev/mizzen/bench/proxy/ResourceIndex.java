package dev.mizzen.bench.proxy;

import com.google.protobuf.ByteString;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads resources through a {@link ResourceReader}, once per distinct body: proxies of one group receive
 * byte-equal resources, so thousands of simulated proxies parse each body about once. This keeps the load
 * tool's CPU out of the figures it takes on the machine it shares with istiod.
 *
 * <p>Threading: a concurrent map; two threads may read the same body once each, either result is kept.
 * The map is cleared when it grows past {@link #MAX_ENTRIES}, which bounds memory across long runs.
 */
public final class ResourceIndex {
    private static final int MAX_ENTRIES = 200_000;

    private record Key(String typeUrl, ByteString body) {
    }

    private final ResourceReader reader;
    private final Map<Key, ResourceInfo> cache = new ConcurrentHashMap<>();

    public ResourceIndex(ResourceReader reader) {
        this.reader = reader;
    }

    public ResourceInfo read(String typeUrl, ByteString body) {
        Key key = new Key(typeUrl, body);
        ResourceInfo info = cache.get(key);
        if (info == null) {
            info = reader.read(typeUrl, body);
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(key, info);
        }
        return info;
    }
}
