package dev.mizzen.pilot.xds;

import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes the ADS streams of a stopping istiod at the pace of a {@link DrainPace}, with UNAVAILABLE, which Envoy,
 * Istio's agent and gRPC's xDS client all answer by reconnecting (through the Service, to a replica still ready).
 * Streams admitted after the drain began (their call was already in flight) are closed at the next tick.
 *
 * <p>Concurrency: one task on the given scheduler ticks every {@link #TICK}; only it closes streams and completes
 * the future, which it does once the window is over and no stream is left.
 */
final class StreamDrain {
    static final Duration TICK = Duration.ofMillis(20);
    static final Status SHUTTING_DOWN = Status.UNAVAILABLE.withDescription("istiod is shutting down; reconnect");
    private static final Logger LOG = LoggerFactory.getLogger(StreamDrain.class);

    private final ConnectedProxies proxies;
    private final DrainPace pace;
    private final long started = System.nanoTime();
    private final int initial;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private int closed;
    private ScheduledFuture<?> ticks;

    private StreamDrain(ConnectedProxies proxies, DrainPace pace) {
        this.proxies = proxies;
        this.pace = pace;
        this.initial = proxies.streams().size();
    }

    static CompletableFuture<Void> start(ConnectedProxies proxies, DrainPace pace, ScheduledExecutorService scheduler) {
        StreamDrain drain = new StreamDrain(proxies, pace);
        LOG.info("draining {} ADS streams over {}", drain.initial, pace.window());
        try {
            drain.ticks = scheduler.scheduleWithFixedDelay(drain::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            drain.done.completeExceptionally(e);
        }
        drain.done.whenComplete((ignored, error) -> {
            if (drain.ticks != null) {
                drain.ticks.cancel(false);
            }
        });
        return drain.done;
    }

    private void tick() {
        try {
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            boolean over = elapsed.compareTo(pace.window()) >= 0;
            List<ProxyStream> open = proxies.streams();
            int due = over ? Integer.MAX_VALUE : pace.closedBy(elapsed, initial) - closed;
            for (int i = 0; i < open.size() && i < due; i++) {
                open.get(i).shed(SHUTTING_DOWN);
                closed++;
            }
            if (over && proxies.streams().isEmpty()) {
                LOG.info("drained {} ADS streams in {} ms", closed, elapsed.toMillis());
                done.complete(null);
            }
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
    }
}
