package dev.mizzen.istiod.leader;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * How istiod's replicas elect the one that writes to the cluster: who this replica is, and the timing of
 * Kubernetes' leader election on a Lease. Istio's lease lasts 30 s and is renewed within 15 s
 * (pilot/pkg/leaderelection: ttl, ttl/2); Istio retries every ttl/4, but fabric8's elector adds up to 120% jitter to
 * the retry period and so wants the renew deadline above 2.2 retry periods: retries here come every ttl/6 (5 s).
 * A leader that stops releases its Lease, so the next one takes over within a retry period; one that dies is
 * replaced once its lease has expired.
 *
 * @param identity      this replica in the Lease's holderIdentity: Istio uses the pod's name
 * @param leaseDuration how long a lease lasts without renewal before another replica may take it
 * @param renewDeadline how long the leader keeps trying to renew before it gives leadership up
 * @param retryPeriod   how often a follower tries to acquire and the leader renews
 */
public record ElectionSettings(String identity, Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    public static final Duration ISTIO_LEASE_DURATION = Duration.ofSeconds(30);
    /** fabric8's LeaderElector.JITTER_FACTOR: a retry waits up to (1 + 1.2) retry periods. */
    private static final double JITTER = 1.2;

    public ElectionSettings {
        if (identity == null || identity.isBlank() || identity.length() > 253) {
            throw new IllegalArgumentException("the election identity must be 1..253 characters");
        }
        if (retryPeriod.isNegative() || retryPeriod.isZero()
                || renewDeadline.toNanos() <= retryPeriod.toNanos() * (1 + JITTER)
                || leaseDuration.compareTo(renewDeadline) <= 0) {
            throw new IllegalArgumentException("leader election needs leaseDuration > renewDeadline > "
                    + "2.2 x retryPeriod > 0 (fabric8's jitter), got "
                    + leaseDuration + ", " + renewDeadline + ", " + retryPeriod);
        }
    }

    /** A lease of {@code leaseDuration}, renewed within half of it (as Istio), tried every sixth. */
    public static ElectionSettings of(String identity, Duration leaseDuration) {
        return new ElectionSettings(identity, leaseDuration, leaseDuration.dividedBy(2), leaseDuration.dividedBy(6));
    }

    /** Istio's defaults, identified by the pod's name ({@code POD_NAME}) or else by host name and a random suffix. */
    public static ElectionSettings defaults() {
        return of(defaultIdentity(), ISTIO_LEASE_DURATION);
    }

    public ElectionSettings withIdentity(String id) {
        return new ElectionSettings(id, leaseDuration, renewDeadline, retryPeriod);
    }

    private static String defaultIdentity() {
        return Optional.ofNullable(System.getenv("POD_NAME")).filter(s -> !s.isBlank()).orElseGet(() -> {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "istiod";
            }
            // two processes on one machine (local mode, tests) are still two candidates, as client-go does it
            return host + "_" + UUID.randomUUID();
        });
    }
}
