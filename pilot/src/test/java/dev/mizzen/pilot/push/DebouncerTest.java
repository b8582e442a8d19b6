package dev.mizzen.pilot.push;

import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DebouncerTest {
    @Test
    void requestsCloseTogetherBecomeOneMergedPush() {
        List<PushRequest> pushed = new CopyOnWriteArrayList<>();
        try (Debouncer debouncer = new Debouncer(new Debouncer.Settings(Duration.ofMillis(200), Duration.ofSeconds(10)),
                pushed::add)) {
            debouncer.onPush(PushRequest.endpoints("a.default.svc.cluster.local"));
            debouncer.onPush(PushRequest.config(ConfigKey.of(ConfigKind.VIRTUAL_SERVICE, "default", "reviews")));
            debouncer.onPush(PushRequest.endpoints("b.default.svc.cluster.local"));
            await().atMost(Duration.ofSeconds(5)).until(() -> !pushed.isEmpty());
        }
        assertThat(pushed).singleElement().satisfies(p -> {
            assertThat(p.isFull()).isTrue();
            assertThat(p.hostsUpdated()).containsExactlyInAnyOrder("a.default.svc.cluster.local", "b.default.svc.cluster.local");
            assertThat(p.configsUpdated()).hasSize(1);
            assertThat(p.reasons()).containsExactlyInAnyOrder("endpoint", "config");
        });
    }

    @Test
    void aSteadyStreamOfChangesIsStillPushedAtTheMaximumDelay() {
        List<PushRequest> pushed = new CopyOnWriteArrayList<>();
        AtomicLong now = new AtomicLong();
        Debouncer debouncer = new Debouncer(new Debouncer.Settings(Duration.ofMillis(100), Duration.ofMillis(300)),
                pushed::add, now::get);
        try (debouncer) {
            // a change every 50 ms of the debouncer's clock, which then stands still: quiet never comes,
            // so only the 300 ms cap can push
            for (int i = 0; i < 10; i++) {
                now.addAndGet(Duration.ofMillis(50).toNanos());
                debouncer.onPush(PushRequest.endpoints("a"));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> !pushed.isEmpty());
        }
        assertThat(pushed.get(0).scope()).isEqualTo(PushRequest.Scope.ENDPOINTS);
    }

    @Test
    void anEndpointPushMergedWithAFullOneIsFull() {
        PushRequest merged = PushRequest.endpoints("a").merge(PushRequest.service("b"));
        assertThat(merged.isFull()).isTrue();
        assertThat(merged.hostsUpdated()).containsExactlyInAnyOrder("a", "b");
        assertThat(PushRequest.endpoints("a").merge(PushRequest.endpoints("b")).isFull()).isFalse();
    }
}
