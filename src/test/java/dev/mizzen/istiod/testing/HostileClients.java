package dev.mizzen.istiod.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections that tie a server up the cheap way: some connect and send nothing, others send the start of a
 * request (a TLS ClientHello, an HTTP request line) one byte per period from one scheduler thread, and never
 * finish. Loopback only; everything is closed by {@link #close}.
 */
public final class HostileClients implements AutoCloseable {
    private final List<Socket> silent = new ArrayList<>();
    private final List<Socket> slow = new ArrayList<>();
    private final ScheduledExecutorService dribbler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hostile-dribbler");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger bytesSent = new AtomicInteger();

    private HostileClients() {
    }

    /**
     * Opens {@code silentCount} silent connections and {@code slowCount} that send {@code slowBytes} one byte
     * per {@code period} each (then hold). The port is on the loopback interface.
     */
    public static HostileClients open(int port, int silentCount, int slowCount, byte[] slowBytes, Duration period) {
        HostileClients clients = new HostileClients();
        try {
            for (int i = 0; i < silentCount; i++) {
                clients.silent.add(connect(port));
            }
            for (int i = 0; i < slowCount; i++) {
                clients.slow.add(connect(port));
            }
        } catch (IOException e) {
            clients.close();
            throw new UncheckedIOException(e);
        }
        int[] next = {0};
        clients.dribbler.scheduleAtFixedRate(() -> {
            if (next[0] >= slowBytes.length) {
                return;
            }
            for (Socket socket : clients.slow) {
                if (socket.isOutputShutdown()) {
                    continue;
                }
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(slowBytes[next[0]]);
                    out.flush();
                    clients.bytesSent.incrementAndGet();
                } catch (IOException e) {
                    // the server closed it: stop writing to it
                    try {
                        socket.shutdownOutput();
                    } catch (IOException ignored) {
                        // closed already
                    }
                }
            }
            next[0]++;
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return clients;
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return socket;
    }

    /** Bytes the slow connections have sent so far, all together. */
    public int bytesSent() {
        return bytesSent.get();
    }

    /**
     * How many of the connections the server has closed: a write failed, or a read finds the end of the
     * stream (the server never answers what they send, so anything but a read timeout means closed).
     */
    public int closedByServer() {
        int closed = 0;
        for (List<Socket> sockets : List.of(silent, slow)) {
            for (Socket socket : sockets) {
                if (socket.isOutputShutdown() || !readTimesOut(socket)) {
                    closed++;
                }
            }
        }
        return closed;
    }

    /**
     * True when the server closes {@code socket} (end of stream or reset) before {@code bound}, reading and
     * dropping whatever it sends first (a TLS alert, an error page); false when the read times out.
     */
    public static boolean closedByServerWithin(Socket socket, Duration bound) throws IOException {
        socket.setSoTimeout((int) bound.toMillis());
        try {
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // what the server says before closing
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    private static boolean readTimesOut(Socket socket) {
        try {
            socket.setSoTimeout(1);
            return socket.getInputStream().read() >= 0; // the server sent something: still open
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public int connections() {
        return silent.size() + slow.size();
    }

    @Override
    public void close() {
        dribbler.shutdownNow();
        for (List<Socket> sockets : List.of(silent, slow)) {
            for (Socket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
