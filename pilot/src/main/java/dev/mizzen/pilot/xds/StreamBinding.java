package dev.mizzen.pilot.xds;

import dev.mizzen.pilot.push.PushRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules both stream kinds share: which pushes concern a subscription, and response versions.
 */
final class StreamBinding {
    private StreamBinding() {
    }

    /**
     * True when a push concerns this subscription: every full push, endpoint pushes only EDS of changed hosts.
     * A shared subscription ({@link NameSet}) knows its service hosts, so that costs a lookup per updated host;
     * otherwise each subscribed name's host is read.
     */
    static boolean concerns(PushRequest request, String type, boolean wildcard, Collection<String> names) {
        if (request.isFull()) {
            return true;
        }
        if (!type.equals(TypeUrls.ENDPOINT)) {
            return false;
        }
        if (wildcard) {
            return true;
        }
        if (names instanceof NameSet shared) {
            Set<String> hosts = shared.hosts();
            return request.hostsUpdated().stream().anyMatch(hosts::contains);
        }
        return names.stream().anyMatch(name -> request.hostsUpdated().contains(XdsCache.hostOf(name)));
    }

    /**
     * A hash of what a response holds, so equal content gets an equal version, across restarts too. A list
     * from the cache ({@link ResourceList}) computes it once for all the streams it is sent to.
     */
    static String version(Collection<XdsResource> resources) {
        if (resources instanceof ResourceList list) {
            return list.version();
        }
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

    /** One digest per thread: versions are computed for every response of every push. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

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

    /**
     * True when, for every type, the proxy subscribed to everything the resources it holds refer to.
     *
     * @param held       type URL -> the resources the proxy holds
     * @param subscribed type URL -> names it subscribed to (absent type: not subscribed)
     * @param wildcards  types it subscribed to as wildcards
     */
    static boolean subscribedToAllReferences(Map<String, List<XdsResource>> held, Map<String, Set<String>> subscribed,
                                             Set<String> wildcards) {
        for (var entry : held.entrySet()) {
            for (var wanted : References.of(entry.getKey(), entry.getValue()).entrySet()) {
                if (wanted.getValue().isEmpty() || wildcards.contains(wanted.getKey())) {
                    continue;
                }
                Set<String> names = subscribed.get(wanted.getKey());
                if (names == null || !names.containsAll(wanted.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }
}
