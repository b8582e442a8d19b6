package dev.mizzen.istiod.webhook;

import dev.mizzen.api.admission.AdmissionController;
import dev.mizzen.istiod.http.HttpServerLimits;
import dev.mizzen.istiod.http.JettyServers;
import dev.mizzen.istiod.tls.ServingTls;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.Map;
import java.util.TreeMap;

/**
 * istiod's HTTPS server for admission webhooks (port 15017, the Service's 443): one path per
 * {@link AdmissionController} ({@code /validate} from galley, {@code /inject} from pilot). It only moves
 * AdmissionReviews between HTTP and the controllers; the certificate comes from {@link ServingTls} and can
 * rotate while serving.
 *
 * <p>Built on Jetty ({@link JettyServers} says why): with {@code failurePolicy: Fail} the apiserver cannot
 * create a Pod or an Istio object while these paths do not answer, so no client may be able to stop them by
 * being slow. Handshakes, headers and bodies are read without blocking a thread and within the
 * {@link HttpServerLimits}; handlers share nothing mutable.
 */
public final class WebhookServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 15017;
    public static final String VALIDATE_PATH = "/validate";
    public static final String INJECT_PATH = "/inject";
    /** Istio's limit on webhook request bodies: twice the apiserver's own object limit (6 MiB). */
    public static final int MAX_BODY_BYTES = 6 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

    private final Server server;

    private WebhookServer(Server server) {
        this.server = server;
    }

    /** {@link #start(InetAddress, int, ServingTls, Map, HttpServerLimits)} with the default limits. */
    public static WebhookServer start(InetAddress bindAddress, int port, ServingTls tls,
                                      Map<String, AdmissionController> handlers) {
        return start(bindAddress, port, tls, handlers, HttpServerLimits.DEFAULTS);
    }

    /**
     * Starts serving {@code handlers} (path to controller) over HTTPS.
     *
     * @param port 0 picks a free port (tests)
     */
    public static WebhookServer start(InetAddress bindAddress, int port, ServingTls tls,
                                      Map<String, AdmissionController> handlers, HttpServerLimits limits) {
        if (handlers.isEmpty()) {
            throw new IllegalArgumentException("a webhook server needs at least one handler");
        }
        PathMappingsHandler paths = new PathMappingsHandler();
        new TreeMap<>(handlers).forEach((path, controller) -> {
            Handler handler = new AdmissionHandler(path, controller, MAX_BODY_BYTES, limits.requestTimeout());
            paths.addMapping(new ServletPathSpec(path), handler);
            paths.addMapping(new ServletPathSpec(path + "/"), handler);
        });
        paths.addMapping(new ServletPathSpec("/"), AdmissionHandler.notFound(MAX_BODY_BYTES, limits.requestTimeout()));
        Server server = JettyServers.startHttps("webhooks", bindAddress, port, tls.sslContext(), limits, paths);
        LOG.info("webhooks serving on port {}: {}", JettyServers.port(server), String.join(", ", new TreeMap<>(handlers).keySet()));
        return new WebhookServer(server);
    }

    public int port() {
        return JettyServers.port(server);
    }

    /** Stops taking connections and lets the admission reviews in flight finish, for at most {@code grace}. */
    public void stopGracefully(java.time.Duration grace) {
        JettyServers.stopGracefully(server, grace);
    }

    @Override
    public void close() {
        JettyServers.stop(server);
    }

}
