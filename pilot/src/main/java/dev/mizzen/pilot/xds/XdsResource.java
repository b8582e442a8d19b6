package dev.mizzen.pilot.xds;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One generated xDS resource: its name, its body packed once, and a version that is a hash of the bytes,
 * so an unchanged resource keeps its version across pushes and restarts.
 */
public record XdsResource(String name, Any body, String version) {

    public static XdsResource of(String name, Message message) {
        Any any = pack(message);
        return new XdsResource(name, any, hash(any.getValue()));
    }

    /** Packs with deterministic serialization: maps in a message must not change the bytes between runs. */
    public static Any pack(Message message) {
        try {
            ByteString.Output out = ByteString.newOutput(message.getSerializedSize());
            CodedOutputStream coded = CodedOutputStream.newInstance(out);
            coded.useDeterministicSerialization();
            message.writeTo(coded);
            coded.flush();
            return Any.newBuilder()
                    .setTypeUrl("type.googleapis.com/" + message.getDescriptorForType().getFullName())
                    .setValue(out.toByteString())
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String hash(ByteString bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes.asReadOnlyByteBuffer());
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
