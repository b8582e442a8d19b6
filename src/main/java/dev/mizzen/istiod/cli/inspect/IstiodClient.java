package dev.mizzen.istiod.cli.inspect;

import dev.mizzen.istiod.cli.UserError;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads a running istiod's monitoring port ({@code /debug/...}, {@code /version}) for the inspecting verbs, as
 * istioctl reads it. Answers are bounded ({@value #MAX_BODY_BYTES} bytes) so a wrong address cannot fill memory;
 * every failure is a {@link UserError} that says which address was tried.
 */
final class IstiodClient {
    static final int MAX_BODY_BYTES = 256 << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String address;
    private final HttpClient http;

    private IstiodClient(String address) {
        this.address = address;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** @param address {@code host:port} of istiod's monitoring port */
    static IstiodClient of(String address) {
        URI uri;
        try {
            uri = URI.create("http://" + address);
        } catch (IllegalArgumentException e) {
            throw new UserError("--istiod-address " + address + ": not a host:port");
        }
        if (uri.getHost() == null || uri.getPort() < 1 || !uri.getRawPath().isEmpty()) {
            throw new UserError("--istiod-address " + address + ": not a host:port");
        }
        return new IstiodClient(address);
    }

    String address() {
        return address;
    }

    /** The body of a 200 answer to {@code path} (with its query). */
    String get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address + path)).timeout(TIMEOUT).build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new UserError("cannot reach istiod at " + address + " (connection refused): is it running? "
                    + "Point --istiod-address at its monitoring port");
        } catch (HttpTimeoutException e) {
            throw new UserError("istiod at " + address + " did not answer within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new UserError("cannot reach istiod at " + address + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
        String body = read(response.body());
        if (response.statusCode() != 200) {
            String reason = body.strip().lines().findFirst().orElse("");
            throw new UserError("istiod at " + address + " answered " + response.statusCode() + " to " + path
                    + (reason.isEmpty() ? "" : ": " + truncate(reason)));
        }
        return body;
    }

    private String read(InputStream in) {
        try (in) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new UserError("istiod at " + address + " answered more than " + (MAX_BODY_BYTES >> 20) + " MiB");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("reading istiod's answer from " + address + ": " + e.getMessage());
        }
    }

    private static String truncate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
