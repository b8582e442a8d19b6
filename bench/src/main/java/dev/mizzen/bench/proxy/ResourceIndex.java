package dev.mizzen.bench.proxy;

import com.google.protobuf.ByteString;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

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

    /**
     * A body by content. Every proxy parses its own copy of each body, so hashing and comparing the bytes
     * happens once per proxy and resource (megabytes per sidecar): the hash is a CRC32C and the comparison
     * a ByteBuffer mismatch, both vectorised by the JVM, not protobuf's byte-by-byte loops.
     */
    private static final class Key {
        private final String typeUrl;
        private final ByteString body;
        private final int hash;

        Key(String typeUrl, ByteString body) {
            CRC32C crc = new CRC32C();
            crc.update(body.asReadOnlyByteBuffer());
            this.typeUrl = typeUrl;
            this.body = body;
            this.hash = 31 * typeUrl.hashCode() + (int) crc.getValue();
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && hash == k.hash && body.size() == k.body.size() && typeUrl.equals(k.typeUrl)
                    && body.asReadOnlyByteBuffer().equals(k.body.asReadOnlyByteBuffer());
        }
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
