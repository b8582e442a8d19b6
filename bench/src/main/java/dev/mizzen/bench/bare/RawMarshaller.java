package dev.mizzen.bench.bare;

import io.grpc.MethodDescriptor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Passes message bytes through untouched: what a server that sends pre-serialized responses uses. */
final class RawMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    static final RawMarshaller INSTANCE = new RawMarshaller();

    @Override
    public InputStream stream(byte[] value) {
        return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
        try {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
