package dev.mizzen.istiod.monitoring;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mizzen.pilot.xds.AdsServer;
import dev.mizzen.pilot.xds.ConnectionStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The monitoring port: {@code /metrics} in Prometheus' text format, {@code /ready}, and
 * {@code /debug/syncz} (what each connected proxy was sent and acknowledged), as on Istio's 15014.
 */
public final class MonitoringServer implements AutoCloseable {
    private final HttpServer server;

    private MonitoringServer(HttpServer server) {
        this.server = server;
    }

    public static MonitoringServer start(int port, PrometheusMeterRegistry meters, AdsServer ads) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
            server.createContext("/metrics", ex -> reply(ex, "text/plain; version=0.0.4", meters::scrape));
            server.createContext("/ready", ex -> reply(ex, "text/plain", () -> "ready\n"));
            server.createContext("/debug/syncz", ex -> reply(ex, "text/plain", () -> syncz(ads)));
            server.setExecutor(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "mizzen-monitoring");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return new MonitoringServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve monitoring on port " + port, e);
        }
    }

    private static String syncz(AdsServer ads) {
        return ads.status().stream()
                .sorted(Comparator.comparing(ConnectionStatus::proxyId))
                .map(s -> s.proxyId() + (s.inSync() ? " SYNCED" : " STALE") + " nacks=" + s.nacks())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static void reply(HttpExchange exchange, String contentType, Supplier<String> body) throws IOException {
        byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
