package dev.mizzen.bench.measure;

import com.google.protobuf.ByteString;

import java.nio.charset.StandardCharsets;

/**
 * A string that a change puts into a resource (an endpoint address, a route name), searched for in the
 * resource's serialized bytes as protobuf writes a short string field: its length byte, then the UTF-8
 * bytes. The length byte keeps {@code 10.1.2.3} from matching inside {@code 10.1.2.34}.
 */
public record Marker(String text, byte[] needle) {
    public static Marker of(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 127) {
            throw new IllegalArgumentException("a marker must be shorter than 128 bytes");
        }
        byte[] needle = new byte[utf8.length + 1];
        needle[0] = (byte) utf8.length;
        System.arraycopy(utf8, 0, needle, 1, utf8.length);
        return new Marker(text, needle);
    }

    public boolean foundIn(ByteString bytes) {
        int last = bytes.size() - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes.byteAt(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
