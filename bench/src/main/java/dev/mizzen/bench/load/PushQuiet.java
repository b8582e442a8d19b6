package dev.mizzen.bench.load;

import dev.mizzen.istiod.IstiodServer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Waits until istiod has pushed nothing for a while. Needed after start: the informers report synced once
 * their stores hold the initial lists, but their handlers may still be delivering those objects, so
 * pushes can follow the first push context (seen: DestinationRules missing from it). Measuring before
 * that settles would charge those pushes to the connect storm.
 *
 * <p>Threading: the push thread stores the time of each push in an atomic; the caller polls it.
 */
final class PushQuiet {
    private static final Duration POLL = Duration.ofMillis(50);

    private final AtomicLong lastPushNanos = new AtomicLong(System.nanoTime());

    PushQuiet(IstiodServer istiod) {
        istiod.pushes().addObserver(request -> lastPushNanos.set(System.nanoTime()));
    }

    /** Returns once no push happened for {@code quiet}, or after {@code timeout}. */
    void await(Duration quiet, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - lastPushNanos.get() < quiet.toNanos() && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
        }
    }
}
