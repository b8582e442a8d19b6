package dev.mizzen.demo;

import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.pilot.xds.ConnectionStatus;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Waits, on conditions and not on clocks, until a config change has been pushed and every connected proxy
 * has acknowledged its whole config.
 *
 * <p>Threading: the push thread adds pushed keys under this object's monitor and notifies waiters.
 */
public final class Convergence {
    private final IstiodServer istiod;
    private final Set<ConfigKey> pushed = new HashSet<>();

    public Convergence(IstiodServer istiod) {
        this.istiod = istiod;
        istiod.pushes().addObserver(request -> {
            synchronized (this) {
                pushed.addAll(request.configsUpdated());
                notifyAll();
            }
        });
    }

    /** Waits until a push carrying each of {@code keys} went out, then until every proxy is in sync. */
    public void awaitPushed(Collection<ConfigKey> keys, Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!pushed.containsAll(keys)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("no push of " + keys + " within " + timeout);
                }
                wait(Math.max(1, left / 1_000_000));
            }
            pushed.removeAll(keys);
        }
        awaitInSync(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /** Waits until every connected proxy acknowledged its whole config. */
    public void awaitInSync(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ConnectionStatus> status = istiod.ads().status();
            if (status.stream().allMatch(ConnectionStatus::inSync)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("proxies not in sync within " + timeout + ": " + status);
            }
            Thread.sleep(10); // polling the status; the condition, not the pause, decides
        }
    }
}
