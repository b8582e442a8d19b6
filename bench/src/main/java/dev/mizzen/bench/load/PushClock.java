package dev.mizzen.bench.load;

import dev.mizzen.istiod.IstiodServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When istiod's full pushes start: a push's end is heard through {@code PushController.addObserver}, its
 * duration (context build and fan-out) read from istiod's own {@code pilot_push_time} metric on the
 * monitoring port; start = end - duration. This takes the apiserver write, the watch and the debounce out
 * of the full-push time that is compared with the bare server.
 *
 * <p>Threading: the push thread stores the end time of each full push in an atomic; {@link #sample} and
 * {@link #lastFullPushEndNanos} are read by the scenario's thread.
 */
final class PushClock {
    private static final Pattern COUNT = Pattern.compile("pilot_push_time_seconds_count\\{type=\"full\",?\\} (\\S+)");
    private static final Pattern SUM = Pattern.compile("pilot_push_time_seconds_sum\\{type=\"full\",?\\} (\\S+)");

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI metrics;
    private final AtomicLong lastFullPushEnd = new AtomicLong(Long.MIN_VALUE);

    PushClock(IstiodServer istiod) {
        this.metrics = URI.create("http://127.0.0.1:" + istiod.monitoringPort() + "/metrics");
        istiod.pushes().addObserver(request -> {
            if (request.isFull()) {
                lastFullPushEnd.set(System.nanoTime());
            }
        });
    }

    /** Full pushes so far and the seconds they took, as istiod's metric says. */
    record Sample(long count, double seconds) {
    }

    Sample sample() throws IOException, InterruptedException {
        String text = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return new Sample((long) number(COUNT, text), number(SUM, text));
    }

    private static double number(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    long lastFullPushEndNanos() {
        return lastFullPushEnd.get();
    }

    /**
     * The start of the one full push between two samples; empty when there was not exactly one.
     *
     * @param endAfterNanos the push must have ended after this time (the edit that caused it)
     */
    OptionalLong startOfOnlyPush(Sample before, Sample after, long endAfterNanos) {
        long end = lastFullPushEnd.get();
        if (after.count() - before.count() != 1 || end < endAfterNanos) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(end - (long) ((after.seconds() - before.seconds()) * 1e9));
    }
}
