package dev.mizzen.pilot.xds;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;

/**
 * The version of a response: a hash of the names and versions of what it holds, so equal content gets an equal
 * version, across restarts too. Pure; {@link ResourceList#versionOf} remembers it for lists the cache shares.
 */
final class ResponseVersion {
    /** One digest per thread: versions are computed for every response of every push. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private ResponseVersion() {
    }

    static String compute(Collection<XdsResource> resources) {
        MessageDigest digest = SHA_256.get();
        digest.reset();
        for (XdsResource r : byName(resources)) {
            digest.update(r.name().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(r.version().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    /** The resources sorted by name; generators mostly return them sorted already, which is then kept. */
    private static Collection<XdsResource> byName(Collection<XdsResource> resources) {
        String previous = null;
        for (XdsResource r : resources) {
            if (previous != null && previous.compareTo(r.name()) > 0) {
                return resources.stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
            }
            previous = r.name();
        }
        return resources;
    }
}
