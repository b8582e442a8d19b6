package dev.mizzen.istiod.http;

import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;

/**
 * istiod's HTTP servers (admission webhooks, monitoring) are Jetty servers built here, one way, with the
 * {@link HttpServerLimits} applied. Why Jetty rather than the JDK's {@code com.sun.net.httpserver}: Jetty's
 * I/O is non-blocking, so a client that connects and sends nothing, or one byte a second, costs a connection
 * and not a worker thread (the JDK server did its TLS handshakes and header parsing on a handful of threads,
 * and four silent connections stopped the webhooks); it has idle timeouts, header size limits and a cap on
 * connections built in; a TLS handshake advances as its bytes arrive, with no thread waiting on it, so a
 * deadline can simply close it ({@link TlsHandshakeDeadline}); and it is a well-kept, widely deployed server.
 *
 * <p>HTTP/1.1 only: the apiserver, Prometheus and kubelet probes all speak it.
 */
public final class JettyServers {
    /** Every interface, IPv4 and IPv6: what istiod's servers bind until it has a bind-address option. */
    public static final InetAddress ALL_INTERFACES = new InetSocketAddress(0).getAddress();
    private static final Logger LOG = LoggerFactory.getLogger(JettyServers.class);
    private static final int MIN_THREADS = 4;
    private static final int ACCEPTORS = 1;
    private static final int SELECTORS = 1;

    private JettyServers() {
    }

    /** Starts {@code handler} over plain HTTP; port 0 picks a free port. */
    public static Server startHttp(String name, InetAddress bindAddress, int port, HttpServerLimits limits, Handler handler) {
        Server server = newServer(name, limits);
        HttpConnectionFactory http = http(limits);
        return start(name, server, connector(server, bindAddress, port, limits, http), limits, handler);
    }

    /**
     * Starts {@code handler} over HTTPS with {@code tls}, whose key manager is asked for the certificate at
     * every handshake (so a rotated certificate serves new connections); no client certificate is asked for.
     */
    public static Server startHttps(String name, InetAddress bindAddress, int port, SSLContext tls, HttpServerLimits limits,
                                    Handler handler) {
        Server server = newServer(name, limits);
        SslContextFactory.Server sslContextFactory = new SslContextFactory.Server();
        sslContextFactory.setSslContext(tls);
        HttpConnectionFactory http = http(limits);
        // the JDK's SSLEngine copies direct buffers through heap arrays; heap buffers save a copy each way
        http.getHttpConfiguration().setUseInputDirectByteBuffers(false);
        http.getHttpConfiguration().setUseOutputDirectByteBuffers(false);
        // Jetty would answer 400 to a Host its certificate does not name; a webhook configured with a url: by
        // address sends one, and the apiserver has already checked the certificate against what it dialled
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        http.getHttpConfiguration().addCustomizer(secure);
        TlsHandshakeDeadline handshakes = new TlsHandshakeDeadline(sslContextFactory, http.getProtocol(), limits.handshakeTimeout());
        return start(name, server, connector(server, bindAddress, port, limits, handshakes, http), limits, handler);
    }

    /** The port {@code server} listens on (the one picked, when started with 0). */
    public static int port(Server server) {
        return ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
    }

    /**
     * Closes the port, lets the requests in flight finish (at most {@code grace}; a new request on an open
     * connection is answered 503 meanwhile), then closes every connection: the end of istiod's drain.
     */
    public static void stopGracefully(Server server, java.time.Duration grace) {
        server.setStopTimeout(grace.toMillis());
        stop(server);
    }

    /** Closes the port and every connection; requests in flight are abandoned. */
    public static void stop(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping {}: {}", server, e.toString());
        }
    }

    private static Server newServer(String name, HttpServerLimits limits) {
        QueuedThreadPool threads = new QueuedThreadPool(limits.threads(), MIN_THREADS);
        threads.setName("mizzen-" + name);
        threads.setDaemon(true);
        Server server = new Server(threads);
        server.setStopAtShutdown(false); // istiod closes its servers itself
        return server;
    }

    private static HttpConnectionFactory http(HttpServerLimits limits) {
        HttpConfiguration config = new HttpConfiguration();
        config.setRequestHeaderSize(limits.maxHeaderBytes());
        config.setSendServerVersion(false);
        return new HttpConnectionFactory(config);
    }

    private static ServerConnector connector(Server server, InetAddress bindAddress, int port, HttpServerLimits limits,
                                             ConnectionFactory... protocols) {
        // one acceptor and one selector thread serve thousands of connections; fixed, so that the threads
        // left for handlers do not shrink on a machine with many cores
        ServerConnector connector = new ServerConnector(server, ACCEPTORS, SELECTORS, protocols);
        connector.setHost(bindAddress.isAnyLocalAddress() ? null : bindAddress.getHostAddress());
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        return connector;
    }

    private static Server start(String name, Server server, ServerConnector connector, HttpServerLimits limits,
                                Handler handler) {
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        // counts the requests in flight, so that a graceful stop waits for them
        server.setHandler(new org.eclipse.jetty.server.handler.GracefulHandler(handler));
        try {
            server.start();
        } catch (IOException e) {
            stop(server);
            throw new UncheckedIOException("cannot serve " + name + " on port " + connector.getPort(), e);
        } catch (Exception e) {
            stop(server);
            throw new IllegalStateException("cannot serve " + name + " on port " + connector.getPort(), e);
        }
        return server;
    }
}
