package dev.mizzen.bench.proxy;

import com.google.protobuf.ByteString;

import java.util.List;

/**
 * A response a proxy accepted, whichever variant of xDS carried it: its type, the resources it held as read
 * and as sent (same order), and its size on the wire.
 *
 * @param bodies the serialized resources, {@code bodies.get(i)} being the one {@code resources.get(i)} was read
 *               from; a view of the response, not a copy
 * @param bytes  the serialized size of the whole response
 */
public record AcceptedResponse(String typeUrl, List<ResourceInfo> resources, List<ByteString> bodies, int bytes) {
}
