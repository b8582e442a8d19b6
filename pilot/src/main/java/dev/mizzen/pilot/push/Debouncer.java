package dev.mizzen.pilot.push;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Merges push requests that arrive close together and hands the merged request on once things are quiet
 * ({@link DebounceWindow} decides when, on the injected clock).
 *
 * <p>Threading: {@link #onPush} may be called from any thread and only merges under the lock. One scheduler
 * thread checks the window and runs the handler, so pushes never overlap; requests that arrive during a push
 * wait and merge into the next one.
 */
public final class Debouncer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Debouncer.class);

    /** How long to wait for quiet, and the longest a request may wait. */
    public record Settings(Duration quiet, Duration max) {
        public static final Settings ISTIO_DEFAULTS = new Settings(Duration.ofMillis(100), Duration.ofSeconds(10));
    }

    private final Consumer<PushRequest> handler;
    private final LongSupplier nanoClock;
    private final ScheduledExecutorService scheduler;
    private final DebounceWindow window;
    private boolean checkScheduled;

    public Debouncer(Settings settings, Consumer<PushRequest> handler) {
        this(settings, handler, System::nanoTime);
    }

    Debouncer(Settings settings, Consumer<PushRequest> handler, LongSupplier nanoClock) {
        this.handler = handler;
        this.nanoClock = nanoClock;
        this.window = new DebounceWindow(settings.quiet(), settings.max());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                new ThreadFactoryBuilder().setNameFormat("mizzen-push").setDaemon(true).build());
    }

    public void onPush(PushRequest request) {
        synchronized (this) {
            long now = nanoClock.getAsLong();
            window.add(request, now);
            if (!checkScheduled) {
                checkScheduled = true;
                schedule(window.due() - now);
            }
        }
    }

    private void schedule(long delayNanos) {
        if (!scheduler.isShutdown()) {
            scheduler.schedule(this::check, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        Optional<PushRequest> ready;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            ready = window.takeIfDue(now);
            if (ready.isEmpty()) {
                schedule(window.due() - now);
                return;
            }
            checkScheduled = false;
        }
        try {
            handler.accept(ready.get());
        } catch (RuntimeException e) {
            LOG.error("push {} failed", ready.get(), e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
