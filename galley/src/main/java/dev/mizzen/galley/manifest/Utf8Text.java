package dev.mizzen.galley.manifest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bytes to text as the apiserver takes them: UTF-8 (a byte-order mark is allowed), or UTF-16 with a
 * byte-order mark. Bytes that are not valid are refused with the line and column where they are, instead of
 * being replaced by U+FFFD and read as something else.
 */
final class Utf8Text {
    private Utf8Text() {
    }

    static String decode(byte[] bytes) throws ManifestException {
        if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
            return decode(bytes, 3, StandardCharsets.UTF_8);
        }
        if (startsWith(bytes, 0xFE, 0xFF)) {
            return decode(bytes, 2, StandardCharsets.UTF_16BE);
        }
        if (startsWith(bytes, 0xFF, 0xFE)) {
            return decode(bytes, 2, StandardCharsets.UTF_16LE);
        }
        return decode(bytes, 0, StandardCharsets.UTF_8);
    }

    private static String decode(byte[] bytes, int offset, Charset charset) throws ManifestException {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
        CharBuffer out = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8L, (long) bytes.length + 1));
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int bad = in.position();
            out.flip();
            throw new ManifestException(positionOf(out), "not " + charset.name() + ": invalid byte 0x"
                    + String.format("%02X", bytes[bad] & 0xFF) + (charset == StandardCharsets.UTF_8
                    ? " (save the file as UTF-8)" : ""));
        }
        result = decoder.flush(out);
        if (result.isError()) {
            throw new ManifestException(new Position(1, 1), "not " + charset.name());
        }
        out.flip();
        return out.toString();
    }

    /** The position right after the text decoded so far. */
    private static Position positionOf(CharSequence decoded) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < decoded.length(); i++) {
            if (decoded.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        String last = decoded.subSequence(lineStart, decoded.length()).toString();
        return new Position(line, last.codePointCount(0, last.length()) + 1);
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
