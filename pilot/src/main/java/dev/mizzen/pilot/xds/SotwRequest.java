package dev.mizzen.pilot.xds;

import com.google.common.hash.HashCode;
import com.google.common.hash.Hashing;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A state-of-the-world request as it arrived: every field but the resource names parsed, and the names kept as
 * their bytes with a fingerprint of them. A SotW client repeats all its names in every request, ACKs included
 * (131 endpoint sets per sidecar that sees 100 services, 1,300 at 1,000), so decoding them into strings on every
 * ACK was most of what an ACK cost; now an ACK whose names have the fingerprint of the last request of its type
 * is recognised without decoding them ({@link XdsRequest.AllNames}).
 *
 * <p>The fingerprint is a 128-bit hash of the bytes (not a cryptographic one): a client that forged a collision
 * would only make its own stream ignore its own change of names. Names are checked when decoded: a stream's first
 * request of a type and any request whose names changed are decoded, so names never checked are never used.
 * Immutable; the names are decoded at most once.
 *
 * @param rest        the request without its resource names
 * @param nameCount   how many resource names it carries
 * @param names       their bytes as they arrived (the repeated field, tags included)
 * @param fingerprint what identifies the names: equal bytes, equal names in the same order
 */
record SotwRequest(DiscoveryRequest rest, int nameCount, ByteString names, HashCode fingerprint) {
    private static final int RESOURCE_NAMES = DiscoveryRequest.RESOURCE_NAMES_FIELD_NUMBER;

    /** The names, decoded when first read. */
    List<String> nameList() {
        return new Names(this);
    }

    /** The whole request, names included (tests and logs). */
    DiscoveryRequest toRequest() {
        return rest.toBuilder().addAllResourceNames(nameList()).build();
    }

    /**
     * Reads a request from its bytes: the names' fields are set apart, the others parsed. Every serializer writes
     * a repeated field's entries one after the other, so the names are one slice of the bytes, and the rest is
     * parsed from the slices before and after it, without copying (parsing two parts of a message one after the
     * other merges them, as parsing them joined would); names spread among other fields are copied together.
     */
    static SotwRequest parse(byte[] bytes, int length) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes, 0, length);
        int namesStart = -1;
        int namesEnd = -1;
        boolean spread = false;
        int count = 0;
        while (true) {
            int start = in.getTotalBytesRead();
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            in.skipField(tag);
            if (WireFormat.getTagFieldNumber(tag) != RESOURCE_NAMES
                    || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                continue;
            }
            count++;
            spread |= namesStart >= 0 && namesEnd != start;
            namesStart = namesStart < 0 ? start : namesStart;
            namesEnd = in.getTotalBytesRead();
        }
        if (spread) {
            return parseSpread(bytes, length, count);
        }
        if (namesStart < 0) {
            return new SotwRequest(DiscoveryRequest.parseFrom(CodedInputStream.newInstance(bytes, 0, length)), 0,
                    ByteString.EMPTY, NO_NAMES);
        }
        DiscoveryRequest.Builder rest = DiscoveryRequest.newBuilder()
                .mergeFrom(bytes, 0, namesStart)
                .mergeFrom(bytes, namesEnd, length - namesEnd);
        return new SotwRequest(rest.build(), count, UnsafeByteOperations.unsafeWrap(bytes, namesStart, namesEnd - namesStart),
                Hashing.murmur3_128().hashBytes(bytes, namesStart, namesEnd - namesStart));
    }

    private static final HashCode NO_NAMES = Hashing.murmur3_128().hashBytes(new byte[0]);

    /** Names among other fields: each part copied to its own side. */
    private static SotwRequest parseSpread(byte[] bytes, int length, int count) throws IOException {
        ByteString.Output names = ByteString.newOutput(length);
        ByteString.Output others = ByteString.newOutput(length);
        CodedInputStream in = CodedInputStream.newInstance(bytes, 0, length);
        while (true) {
            int start = in.getTotalBytesRead();
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            in.skipField(tag);
            boolean isName = WireFormat.getTagFieldNumber(tag) == RESOURCE_NAMES
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
            (isName ? names : others).write(bytes, start, in.getTotalBytesRead() - start);
        }
        ByteString nameBytes = names.toByteString();
        return new SotwRequest(DiscoveryRequest.parseFrom(others.toByteString()), count, nameBytes,
                Hashing.murmur3_128().hashBytes(nameBytes.toByteArray()));
    }

    /** The names, decoded from their bytes on first access. */
    private static final class Names extends AbstractList<String> implements RandomAccess {
        private final SotwRequest request;
        private List<String> decoded;

        Names(SotwRequest request) {
            this.request = request;
        }

        private List<String> decoded() {
            if (decoded == null) {
                try {
                    decoded = List.copyOf(DiscoveryRequest.parseFrom(request.names).getResourceNamesList());
                } catch (InvalidProtocolBufferException e) {
                    // set apart unread, they are checked (UTF-8) here, where the generated parser checked them
                    throw Status.INVALID_ARGUMENT.withDescription("resource names are not valid UTF-8").asRuntimeException();
                }
            }
            return decoded;
        }

        @Override
        public String get(int index) {
            return decoded().get(index);
        }

        @Override
        public int size() {
            return request.nameCount;
        }
    }

    /** gRPC's marshaller of this request; the response side is protobuf's own. */
    static final class Marshaller implements MethodDescriptor.Marshaller<SotwRequest> {
        @Override
        public InputStream stream(SotwRequest value) {
            return new ByteArrayInputStream(value.toRequest().toByteArray());
        }

        @Override
        public SotwRequest parse(InputStream stream) {
            try {
                // gRPC has already bounded the message by the server's maximum inbound size, and knows it
                if (stream instanceof KnownLength) {
                    byte[] bytes = new byte[stream.available()];
                    return SotwRequest.parse(bytes, stream.readNBytes(bytes, 0, bytes.length));
                }
                byte[] bytes = stream.readAllBytes();
                return SotwRequest.parse(bytes, bytes.length);
            } catch (IOException e) {
                throw Status.INTERNAL.withDescription("invalid DiscoveryRequest").withCause(e).asRuntimeException();
            }
        }
    }
}
