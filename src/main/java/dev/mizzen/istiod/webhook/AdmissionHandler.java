package dev.mizzen.istiod.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.mizzen.api.admission.AdmissionController;
import dev.mizzen.api.admission.AdmissionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One webhook path over HTTP: checks the request (POST, JSON, not too large), decodes the AdmissionReview,
 * asks the controller, encodes its answer. Anything it cannot take gets a 4xx with the reason as plain text.
 * Stateless; runs on the server's worker threads.
 */
final class AdmissionHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionHandler.class);
    private static final String JSON = "application/json";
    /** How much of an oversized body is read and dropped before answering, in multiples of the limit. */
    private static final long DRAIN_FACTOR = 4;

    private final String path;
    private final AdmissionController controller;
    private final long maxBodyBytes;

    AdmissionHandler(String path, AdmissionController controller, long maxBodyBytes) {
        this.path = path;
        this.controller = controller;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String requestPath = exchange.getRequestURI().getPath();
            if (!requestPath.equals(path) && !requestPath.equals(path + "/")) {
                discardBody(exchange);
                plain(exchange, 404, "no webhook at " + requestPath);
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "POST");
                plain(exchange, 405, "method " + exchange.getRequestMethod() + " not allowed, use POST");
                return;
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (!isJson(contentType)) {
                discardBody(exchange);
                plain(exchange, 400, "invalid Content-Type " + (contentType == null ? "(none)" : "\"" + contentType + "\"")
                        + ", want " + JSON);
                return;
            }
            byte[] body = readBody(exchange);
            if (body == null) {
                plain(exchange, 400, "request body too large, the limit is " + maxBodyBytes + " bytes");
                return;
            }
            if (body.length == 0) {
                plain(exchange, 400, "no body found");
                return;
            }
            AdmissionReviewCodec.Review review;
            try {
                review = AdmissionReviewCodec.decode(body);
            } catch (AdmissionReviewCodec.MalformedReviewException e) {
                plain(exchange, 400, "could not decode the AdmissionReview: " + e.getMessage());
                return;
            }
            AdmissionResponse answer = admit(review);
            byte[] out = AdmissionReviewCodec.encode(review.apiVersion(), review.request().uid(), answer);
            exchange.getResponseHeaders().set("Content-Type", JSON);
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
        }
    }

    private AdmissionResponse admit(AdmissionReviewCodec.Review review) {
        try {
            return controller.admit(review.request());
        } catch (RuntimeException e) {
            // controllers deny bad objects themselves; this is a bug, so the apiserver's failurePolicy decides
            LOG.error("{}: the admission controller failed on {} {}/{}", path, review.request().kind(),
                    review.request().namespace(), review.request().name(), e);
            return AdmissionResponse.deny(500, "internal error in " + path + ": " + e, List.of());
        }
    }

    /** {@code application/json}, parameters such as charset allowed. */
    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.toLowerCase(Locale.ROOT).equals(JSON);
    }

    /**
     * The body, or null when it is longer than the limit (announced or actual). An oversized body is still
     * read and dropped, up to a few times the limit, so that its sender gets the 400 rather than a reset.
     */
    private byte[] readBody(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        boolean tooLong = false;
        if (length != null) {
            try {
                tooLong = Long.parseLong(length.trim()) > maxBodyBytes;
            } catch (NumberFormatException e) {
                tooLong = true;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        long read = 0;
        try (InputStream in = exchange.getRequestBody()) {
            for (int n = in.read(buffer); n >= 0 && read <= DRAIN_FACTOR * maxBodyBytes; n = in.read(buffer)) {
                read += n;
                if (read > maxBodyBytes) {
                    tooLong = true;
                } else if (!tooLong) {
                    out.write(buffer, 0, n);
                }
            }
        }
        return tooLong ? null : out.toByteArray();
    }

    /**
     * Reads and drops a body we answer without looking at (up to a bound): a response sent while the client
     * is still writing makes the server close the connection under it, and the client sees no answer.
     */
    private void discardBody(HttpExchange exchange) throws IOException {
        discardBody(exchange, maxBodyBytes);
    }

    private static void discardBody(HttpExchange exchange, long maxBodyBytes) throws IOException {
        InputStream in = exchange.getRequestBody();
        byte[] buffer = new byte[8192];
        long read = 0;
        for (int n = in.read(buffer); n >= 0 && read <= DRAIN_FACTOR * maxBodyBytes; n = in.read(buffer)) {
            read += n;
        }
    }

    /**
     * What answers the paths no webhook serves. Without it the JDK server answers 404 itself and closes the
     * connection with the request body unread, which resets the connection under the client's feet.
     */
    static HttpHandler notFound(long maxBodyBytes) {
        return exchange -> {
            try (exchange) {
                discardBody(exchange, maxBodyBytes);
                plain(exchange, 404, "no webhook at " + exchange.getRequestURI().getPath());
            }
        };
    }

    private static void plain(HttpExchange exchange, int status, String reason) throws IOException {
        byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
