package dev.mizzen.istiod.webhook;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.mizzen.api.admission.AdmissionController;
import dev.mizzen.istiod.tls.ServingTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * istiod's HTTPS server for admission webhooks (port 15017, the Service's 443): one path per
 * {@link AdmissionController} ({@code /validate} from galley, {@code /inject} from pilot). It only moves
 * AdmissionReviews between HTTP and the controllers; the certificate comes from {@link ServingTls} and can
 * rotate while serving. Built on the JDK's HttpsServer: a few requests a second from the apiserver need no
 * more, and it adds no dependency.
 *
 * <p>Threading: the JDK's dispatcher thread accepts and parses requests; handlers run on a bounded pool
 * (fixed threads, bounded queue). When the queue is full the dispatcher runs the request itself, which slows
 * accepting instead of dropping requests or growing without limit. Handlers share nothing mutable.
 */
public final class WebhookServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 15017;
    public static final String VALIDATE_PATH = "/validate";
    public static final String INJECT_PATH = "/inject";
    /** Istio's limit on webhook request bodies: twice the apiserver's own object limit (6 MiB). */
    public static final long MAX_BODY_BYTES = 6L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
    private static final int QUEUE = 256;

    private final HttpsServer server;
    private final ThreadPoolExecutor workers;

    private WebhookServer(HttpsServer server, ThreadPoolExecutor workers) {
        this.server = server;
        this.workers = workers;
    }

    /**
     * Starts serving {@code handlers} (path to controller) over HTTPS.
     *
     * @param port 0 picks a free port (tests)
     */
    public static WebhookServer start(int port, ServingTls tls, Map<String, AdmissionController> handlers) {
        if (handlers.isEmpty()) {
            throw new IllegalArgumentException("a webhook server needs at least one handler");
        }
        int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE), daemonThreads(), new ThreadPoolExecutor.CallerRunsPolicy());
        HttpsServer server;
        try {
            server = HttpsServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            workers.shutdownNow();
            throw new UncheckedIOException("cannot serve webhooks on port " + port, e);
        }
        server.setHttpsConfigurator(new ServerOnlyTls(tls.sslContext()));
        new TreeMap<>(handlers).forEach((path, controller) ->
                server.createContext(path, new AdmissionHandler(path, controller, MAX_BODY_BYTES)));
        server.createContext("/", AdmissionHandler.notFound(MAX_BODY_BYTES));
        server.setExecutor(workers);
        server.start();
        LOG.info("webhooks serving on port {}: {}", server.getAddress().getPort(), String.join(", ", new TreeMap<>(handlers).keySet()));
        return new WebhookServer(server, workers);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "mizzen-webhook-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** TLS with the context's defaults; the apiserver presents no client certificate. */
    private static final class ServerOnlyTls extends HttpsConfigurator {
        ServerOnlyTls(SSLContext context) {
            super(context);
        }

        @Override
        public void configure(HttpsParameters params) {
            params.setSSLParameters(getSSLContext().getDefaultSSLParameters());
        }
    }
}
