package dev.mizzen.istiod.http;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Scheduler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLEngine;

/**
 * Jetty's TLS connections with a deadline on the handshake: a connection that has not finished its handshake
 * this long after it was accepted is closed. The connector's idle timeout alone would let a client that
 * sends one byte every few seconds hold a half-done handshake forever; the deadline counts from the accept,
 * not from the last byte. Handshakes run on Jetty's selector as bytes arrive, so a pending one costs a
 * connection and a timer, never a thread.
 */
final class TlsHandshakeDeadline extends SslConnectionFactory {
    private final Duration timeout;

    TlsHandshakeDeadline(SslContextFactory.Server tls, String nextProtocol, Duration timeout) {
        super(tls, nextProtocol);
        this.timeout = timeout;
    }

    @Override
    protected SslConnection newSslConnection(Connector connector, EndPoint endPoint, SSLEngine engine) {
        SslConnection connection = super.newSslConnection(connector, endPoint, engine);
        Scheduler.Task deadline = connector.getScheduler().schedule(() -> endPoint.close(
                new TimeoutException("TLS handshake not finished within " + timeout)), timeout.toMillis(), TimeUnit.MILLISECONDS);
        connection.addHandshakeListener(new SslHandshakeListener() {
            @Override
            public void handshakeSucceeded(Event event) {
                deadline.cancel();
            }

            @Override
            public void handshakeFailed(Event event, Throwable failure) {
                deadline.cancel();
            }
        });
        connection.addEventListener(new Connection.Listener() {
            @Override
            public void onClosed(Connection closed) {
                deadline.cancel(); // a client that gave up must not leave its timer behind
            }
        });
        return connection;
    }
}
