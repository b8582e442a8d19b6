package dev.mizzen.istiod.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What one HTTP server grants one client: how long a connection may sit idle, how long a TLS handshake and a
 * request body may take, how large the request headers may be, how many connections and worker threads there
 * are. Every bound exists so that a slow or hostile client costs at most one connection for a bounded time,
 * never a worker thread, and so that a flood cannot exhaust file descriptors or memory.
 *
 * @param idleTimeout      a connection with no bytes moving for this long is closed (also between keep-alive
 *                         requests)
 * @param handshakeTimeout a TLS handshake not finished this long after the connection was accepted is closed,
 *                         however slowly its bytes keep arriving (TLS servers only)
 * @param requestTimeout   a request body still arriving this long after its handler began to read it is
 *                         answered 408 (servers that read bodies)
 * @param maxHeaderBytes   request line and headers larger than this get 431
 * @param maxConnections   open connections at most; beyond it the server stops accepting until one closes, and
 *                         new clients wait in the kernel's backlog
 * @param threads          threads at most, the acceptor and the selector included
 */
public record HttpServerLimits(Duration idleTimeout, Duration handshakeTimeout, Duration requestTimeout,
                               int maxHeaderBytes, int maxConnections, int threads) {
    /**
     * Istio-like defaults. 10 s for a handshake is what the apiserver's own client allows one (and its default
     * webhook timeout); 30 s is the longest a webhook may be configured to take, so a body or an idle gap
     * longer than that has no caller left waiting. 16 KiB of headers is twice Jetty's default and far beyond
     * what the apiserver or Prometheus send; 1,000 connections leave file descriptors for xDS. Threads: one
     * acceptor, one selector, and workers for a few times the cores. Handlers never wait on I/O, so more
     * workers would only share the CPU, and a burst of handshakes shared among many threads finishes all of
     * them late instead of most of them early.
     */
    public static final HttpServerLimits DEFAULTS = new HttpServerLimits(Duration.ofSeconds(30), Duration.ofSeconds(10),
            Duration.ofSeconds(30), 16 * 1024, 1_000, Math.max(8, 2 + 2 * Runtime.getRuntime().availableProcessors()));

    public HttpServerLimits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        for (Duration d : new Duration[] {idleTimeout, handshakeTimeout, requestTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive, got " + d);
            }
        }
        if (maxHeaderBytes < 1024 || maxConnections < 1 || threads < 4) {
            throw new IllegalArgumentException("limits too small to serve: headers " + maxHeaderBytes
                    + " bytes, " + maxConnections + " connections, " + threads + " threads");
        }
    }

    public HttpServerLimits withIdleTimeout(Duration timeout) {
        return new HttpServerLimits(timeout, handshakeTimeout, requestTimeout, maxHeaderBytes, maxConnections, threads);
    }

    public HttpServerLimits withHandshakeTimeout(Duration timeout) {
        return new HttpServerLimits(idleTimeout, timeout, requestTimeout, maxHeaderBytes, maxConnections, threads);
    }

    public HttpServerLimits withRequestTimeout(Duration timeout) {
        return new HttpServerLimits(idleTimeout, handshakeTimeout, timeout, maxHeaderBytes, maxConnections, threads);
    }

    public HttpServerLimits withThreads(int max) {
        return new HttpServerLimits(idleTimeout, handshakeTimeout, requestTimeout, maxHeaderBytes, maxConnections, max);
    }
}
