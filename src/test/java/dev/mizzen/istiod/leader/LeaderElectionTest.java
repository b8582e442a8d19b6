package dev.mizzen.istiod.leader;

import dev.mizzen.istiod.testing.KubeMock;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A leader that died (killed, its node lost) never releases its Lease: a replica waits for the lease to run out and
 * then takes over, and its writers are told. (A leader that stops releases it: it-module's IstiodReplicasTest.)
 */
class LeaderElectionTest {
    private static final Duration LEASE = Duration.ofSeconds(3);

    @Test
    void aReplicaTakesOverTheLeaseOfADeadLeaderOnceItExpires() {
        try (KubeMock api = KubeMock.start()) {
            ZonedDateTime lastRenewal = ZonedDateTime.now(ZoneOffset.UTC);
            api.client().leases().inNamespace("istio-system").resource(deadLeadersLease(lastRenewal)).create();
            AtomicInteger becameLeader = new AtomicInteger();

            try (LeaderElection election = LeaderElection.start(api.client(), "istio-system",
                    LeaderElection.NAMESPACE_CONTROLLER, ElectionSettings.of("istiod-b", LEASE))) {
                election.whenLeading(becameLeader::incrementAndGet);
                boolean leadingEarly = election.isLeading();
                if (Duration.between(lastRenewal, ZonedDateTime.now(ZoneOffset.UTC)).compareTo(LEASE) < 0) {
                    // (checked only while the lease surely runs: a slow machine may get here after it ran out)
                    assertThat(leadingEarly).as("a follower while the dead leader's lease runs").isFalse();
                }

                await().atMost(LEASE.multipliedBy(3)).until(election::isLeading);
                Duration after = Duration.between(lastRenewal, ZonedDateTime.now(ZoneOffset.UTC));
                System.out.printf("took over a dead leader's %d s lease %d ms after its last renewal%n",
                        LEASE.toSeconds(), after.toMillis());
                assertThat(after).isGreaterThanOrEqualTo(LEASE);
                assertThat(becameLeader.get()).isEqualTo(1);
                assertThat(api.client().leases().inNamespace("istio-system").withName(LeaderElection.NAMESPACE_CONTROLLER)
                        .get().getSpec().getHolderIdentity()).isEqualTo("istiod-b");
            }
        }
    }

    private static Lease deadLeadersLease(ZonedDateTime renewed) {
        return new LeaseBuilder().withNewMetadata().withName(LeaderElection.NAMESPACE_CONTROLLER)
                .withNamespace("istio-system").endMetadata()
                .withNewSpec().withHolderIdentity("istiod-a-killed").withLeaseDurationSeconds((int) LEASE.toSeconds())
                .withAcquireTime(renewed).withRenewTime(renewed).withLeaseTransitions(0).endSpec()
                .build();
    }
}
