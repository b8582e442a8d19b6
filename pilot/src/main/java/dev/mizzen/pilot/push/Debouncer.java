package dev.mizzen.pilot.push;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Merges push requests that arrive close together and hands the merged request on once things are quiet
 * for {@code quiet}, or {@code max} after the first request of a burst at the latest (Istio: 100 ms, 10 s).
 *
 * <p>Threading: {@link #onPush} may be called from any thread and only merges under the lock. One scheduler
 * thread checks the timer and runs the handler, so pushes never overlap; requests that arrive during a push
 * wait and merge into the next one.
 */
public final class Debouncer implements PushListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Debouncer.class);

    /** How long to wait for quiet, and the longest a request may wait. */
    public record Settings(Duration quiet, Duration max) {
        public static final Settings ISTIO_DEFAULTS = new Settings(Duration.ofMillis(100), Duration.ofSeconds(10));
    }

    private final Settings settings;
    private final Consumer<PushRequest> handler;
    private final LongSupplier nanoClock;
    private final ScheduledExecutorService scheduler;

    private PushRequest pending;
    private long firstNanos;
    private long lastNanos;
    private boolean checkScheduled;

    public Debouncer(Settings settings, Consumer<PushRequest> handler) {
        this(settings, handler, System::nanoTime);
    }

    Debouncer(Settings settings, Consumer<PushRequest> handler, LongSupplier nanoClock) {
        this.settings = settings;
        this.handler = handler;
        this.nanoClock = nanoClock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mizzen-push");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void onPush(PushRequest request) {
        synchronized (this) {
            long now = nanoClock.getAsLong();
            if (pending == null) {
                pending = request;
                firstNanos = now;
            } else {
                pending = pending.merge(request);
            }
            lastNanos = now;
            if (!checkScheduled) {
                checkScheduled = true;
                schedule(settings.quiet().toNanos());
            }
        }
    }

    private void schedule(long delayNanos) {
        if (!scheduler.isShutdown()) {
            scheduler.schedule(this::check, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        PushRequest ready;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            long quietDue = lastNanos + settings.quiet().toNanos();
            long maxDue = firstNanos + settings.max().toNanos();
            if (now < quietDue && now < maxDue) {
                schedule(Math.min(quietDue, maxDue) - now);
                return;
            }
            ready = pending;
            pending = null;
            checkScheduled = false;
        }
        try {
            handler.accept(ready);
        } catch (RuntimeException e) {
            LOG.error("push {} failed", ready, e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
