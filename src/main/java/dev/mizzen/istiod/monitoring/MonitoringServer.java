package dev.mizzen.istiod.monitoring;

import dev.mizzen.istiod.http.HttpServerLimits;
import dev.mizzen.istiod.http.JettyServers;
import dev.mizzen.istiod.http.Responses;
import dev.mizzen.pilot.xds.AdsServer;
import dev.mizzen.pilot.xds.ConnectionStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The monitoring port: {@code /metrics} in Prometheus' text format, {@code /ready}, and
 * {@code /debug/syncz} (what each connected proxy was sent and acknowledged), as on Istio's 15014.
 *
 * <p>Built on Jetty ({@link JettyServers} says why): the Deployment's readiness probe calls {@code /ready}
 * here, so a client that connects and stays silent must not be able to make it time out. Pages are GET (or
 * HEAD) without a body; other paths get 404.
 */
public final class MonitoringServer implements AutoCloseable {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4";
    private static final String TEXT = "text/plain";

    private final Server server;

    private MonitoringServer(Server server) {
        this.server = server;
    }

    /** {@link #start(InetAddress, int, PrometheusMeterRegistry, AdsServer, HttpServerLimits)} with the default limits. */
    public static MonitoringServer start(InetAddress bindAddress, int port, PrometheusMeterRegistry meters, AdsServer ads) {
        return start(bindAddress, port, meters, ads, HttpServerLimits.DEFAULTS);
    }

    /** Starts serving; port 0 picks a free port. */
    public static MonitoringServer start(InetAddress bindAddress, int port, PrometheusMeterRegistry meters, AdsServer ads,
                                         HttpServerLimits limits) {
        return start(bindAddress, port, meters, ads, limits, Map.of());
    }

    /**
     * Starts serving, with more pages by path (local mode's {@code /debug/token}); each such page enforces who may call
     * it. Port 0 picks a free port.
     */
    public static MonitoringServer start(InetAddress bindAddress, int port, PrometheusMeterRegistry meters, AdsServer ads,
                                         HttpServerLimits limits, Map<String, Handler> extraPages) {
        PathMappingsHandler paths = new PathMappingsHandler();
        extraPages.forEach((path, page) -> paths.addMapping(new ServletPathSpec(path), page));
        paths.addMapping(new ServletPathSpec("/metrics"), new Page(PROMETHEUS_TEXT, meters::scrape));
        paths.addMapping(new ServletPathSpec("/ready"), new Page(TEXT, () -> "ready\n"));
        paths.addMapping(new ServletPathSpec("/debug/syncz"), new Page(TEXT, () -> syncz(ads)));
        return new MonitoringServer(JettyServers.startHttp("monitoring", bindAddress, port, limits, paths));
    }

    private static String syncz(AdsServer ads) {
        return ads.status().stream()
                .sorted(Comparator.comparing(ConnectionStatus::proxyId))
                .map(s -> s.proxyId() + (s.inSync() ? " SYNCED" : " STALE") + " nacks=" + s.nacks())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    public int port() {
        return JettyServers.port(server);
    }

    @Override
    public void close() {
        JettyServers.stop(server);
    }

    /** One read-only page, made when asked for. */
    private static final class Page extends Handler.Abstract {
        private final String contentType;
        private final Supplier<String> body;

        Page(String contentType, Supplier<String> body) {
            this.contentType = contentType;
            this.body = body;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                Responses.text(response, callback, 405, "method " + request.getMethod() + " not allowed, use GET");
            } else if (hasBody(request)) {
                // nothing here reads a body; refusing one keeps a sender from parking bytes on the port
                Responses.text(response, callback, 413, "monitoring requests take no body");
            } else {
                Responses.send(response, callback, 200, contentType, body.get().getBytes(StandardCharsets.UTF_8));
            }
            return true;
        }

        private static boolean hasBody(Request request) {
            return request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > 0
                    || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        }
    }
}
