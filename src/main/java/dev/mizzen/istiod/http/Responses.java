package dev.mizzen.istiod.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Whole responses in one non-blocking write (status, content type, length, body); each completes the
 * handler's {@code callback} when the bytes are written or the write failed.
 */
public final class Responses {
    private static final String TEXT = "text/plain; charset=utf-8";

    private Responses() {
    }

    /** A refusal: {@code reason} as plain text, with a newline. */
    public static void text(Response response, Callback callback, int status, String reason) {
        send(response, callback, status, TEXT, (reason + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public static void send(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
