package dev.mizzen.istiod.monitoring;

import dev.mizzen.istiod.BuildInfo;
import dev.mizzen.istiod.debug.DebugAccess;
import dev.mizzen.istiod.debug.DebugRequest;
import dev.mizzen.istiod.debug.DebugResponse;
import dev.mizzen.istiod.debug.DebugViews;
import dev.mizzen.istiod.http.HttpServerLimits;
import dev.mizzen.istiod.http.JettyServers;
import dev.mizzen.istiod.http.Responses;
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
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The monitoring port, as Istio's 15014: {@code /metrics} (Prometheus' text format under Istio's names,
 * {@link PrometheusText}), {@code /ready}, {@code /version}, {@code /debug} (the index) and Istio's debug
 * endpoints under {@code /debug/} ({@link DebugViews}), answered to callers on this machine or callers that prove
 * a workload identity ({@link DebugAccess}).
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

    /**
     * What the port shows besides the metrics.
     *
     * @param debug  the debug endpoints; empty to serve none
     * @param access who may read them
     * @param extra  more pages by path (local mode's {@code /debug/token}); each enforces who may call it
     */
    public record Pages(PrometheusMeterRegistry meters, Optional<DebugViews> debug, DebugAccess access, BuildInfo build,
                        Map<String, Handler> extra) {
        public Pages {
            extra = Map.copyOf(extra);
        }

        public Pages(PrometheusMeterRegistry meters, Optional<DebugViews> debug, DebugAccess access, BuildInfo build) {
            this(meters, debug, access, build, Map.of());
        }
    }

    /** {@link #start(InetAddress, int, Pages, HttpServerLimits)} with the default limits. */
    public static MonitoringServer start(InetAddress bindAddress, int port, Pages pages) {
        return start(bindAddress, port, pages, HttpServerLimits.DEFAULTS);
    }

    /** Starts serving; port 0 picks a free port. */
    public static MonitoringServer start(InetAddress bindAddress, int port, Pages pages, HttpServerLimits limits) {
        PathMappingsHandler paths = new PathMappingsHandler();
        pages.extra().forEach((path, page) -> paths.addMapping(new ServletPathSpec(path), page));
        paths.addMapping(new ServletPathSpec("/metrics"), new Page(PROMETHEUS_TEXT, () -> PrometheusText.scrape(pages.meters())));
        paths.addMapping(new ServletPathSpec("/ready"), new Page(TEXT, () -> "ready\n"));
        paths.addMapping(new ServletPathSpec("/version"), new Page(TEXT, () -> pages.build().toString()));
        pages.debug().ifPresent(debug -> {
            paths.addMapping(new ServletPathSpec("/debug"), new Page(DebugResponse.HTML, debug::indexPage));
            paths.addMapping(new ServletPathSpec("/debug/*"), new DebugPage(debug, pages.access()));
        });
        return new MonitoringServer(JettyServers.startHttp("monitoring", bindAddress, port, limits, paths));
    }

    public int port() {
        return JettyServers.port(server);
    }

    @Override
    public void close() {
        JettyServers.stop(server);
    }

    /** Refuses what no page takes: other methods, and bodies (nothing here reads one). */
    private static boolean refused(Request request, Response response, Callback callback) {
        if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Responses.text(response, callback, 405, "method " + request.getMethod() + " not allowed, use GET");
            return true;
        }
        if (request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > 0
                || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
            // refusing a body keeps a sender from parking bytes on the port
            Responses.text(response, callback, 413, "monitoring requests take no body");
            return true;
        }
        return false;
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
            if (!refused(request, response, callback)) {
                Responses.send(response, callback, 200, contentType, body.get().getBytes(StandardCharsets.UTF_8));
            }
            return true;
        }
    }

    /** {@code /debug/<name>}: the caller checked, then the endpoint answers. */
    private static final class DebugPage extends Handler.Abstract {
        private final DebugViews views;
        private final DebugAccess access;

        DebugPage(DebugViews views, DebugAccess access) {
            this.views = views;
            this.access = access;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (refused(request, response, callback)) {
                return true;
            }
            String path = request.getHttpURI().getPath();
            String name = path.substring(path.indexOf("/debug/") + "/debug/".length());
            DebugAccess.Decision decision = access.check(remote(request),
                    Optional.ofNullable(request.getHeaders().get(HttpHeader.AUTHORIZATION)), List.of(), name);
            if (!decision.allowed()) {
                Responses.text(response, callback, decision.status(), decision.reason());
                return true;
            }
            DebugResponse answer = views.serve(new DebugRequest(name,
                    DebugRequest.parseQuery(request.getHttpURI().getQuery()), decision.namespace()));
            answer.headers().forEach((k, v) -> response.getHeaders().put(k, v));
            Responses.send(response, callback, answer.status(), answer.contentType(), answer.body());
            return true;
        }

        private static InetAddress remote(Request request) {
            SocketAddress address = request.getConnectionMetaData().getRemoteSocketAddress();
            return address instanceof InetSocketAddress inet ? inet.getAddress() : null;
        }
    }
}
