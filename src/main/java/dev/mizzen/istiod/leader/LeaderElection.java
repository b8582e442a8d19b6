package dev.mizzen.istiod.leader;

import dev.mizzen.api.kube.Leadership;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One leader election among istiod's replicas, on a Lease in istiod's namespace, run by fabric8's
 * {@code LeaderElector}: the replica holding the Lease leads until it stops renewing it. Istio names its Leases by
 * what they guard ({@link #NAMESPACE_CONTROLLER}, {@link #VALIDATION_CONTROLLER}, {@link #ANALYZE_CONTROLLER}).
 *
 * <p>Like Istio's {@code LeaderElection.Run}, a replica that loses the Lease (the apiserver was unreachable past
 * the renew deadline) stands again; {@link #close()} ends the election and releases the Lease, so a replica
 * that stops (a rolling update, a drain) hands over at the next retry instead of after a whole lease.
 *
 * <p>Concurrency: fabric8 runs the election and its callbacks on the client's executor; {@code leading} is the
 * one flag writers read; the start hooks are a copy-on-write list run by the callback. {@code closed} stops a
 * new round from starting once close has begun.
 */
public final class LeaderElection implements Leadership, AutoCloseable {
    /** Istio's Lease for the controller that writes istio-ca-root-cert into every namespace. */
    public static final String NAMESPACE_CONTROLLER = "istio-namespace-controller-election";
    /** Istio's Lease for the controller that keeps the webhook configurations (caBundle, failurePolicy). */
    public static final String VALIDATION_CONTROLLER = "istio-validation-controller-election";
    /** Istio's Lease for the in-cluster analysis controller, which writes analysis messages into config status. */
    public static final String ANALYZE_CONTROLLER = "istio-analyze-leader";

    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String lease;
    private final ElectionSettings settings;
    private final AtomicBoolean leading = new AtomicBoolean();
    private final List<Runnable> onStart = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile CompletableFuture<?> round = CompletableFuture.completedFuture(null);

    private LeaderElection(KubernetesClient client, String namespace, String lease, ElectionSettings settings) {
        this.client = client;
        this.namespace = namespace;
        this.lease = lease;
        this.settings = settings;
    }

    /** Stands for the Lease {@code namespace/lease}; returns at once (the election runs in the background). */
    public static LeaderElection start(KubernetesClient client, String namespace, String lease, ElectionSettings settings) {
        LeaderElection election = new LeaderElection(client, namespace, lease, settings);
        election.stand();
        return election;
    }

    private synchronized void stand() {
        if (closed) {
            return;
        }
        var config = new LeaderElectionConfigBuilder()
                .withName(lease)
                .withLock(new LeaseLock(namespace, lease, settings.identity()))
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading,
                        leader -> LOG.info("{}: the leader is now {}", lease, leader)))
                .build();
        round = client.leaderElector().withConfig(config).build().start();
        round.whenComplete((ignored, error) -> {
            leading.set(false);
            if (!closed) {
                LOG.warn("{}: leader election round ended ({}); standing again", lease,
                        error == null ? "leadership lost" : error.toString());
                CompletableFuture.runAsync(this::stand, CompletableFuture.delayedExecutor(
                        settings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS));
            }
        });
    }

    private void startedLeading() {
        leading.set(true);
        LOG.info("{}: {} leads", lease, settings.identity());
        onStart.forEach(LeaderElection::runQuietly);
    }

    private void stoppedLeading() {
        leading.set(false);
        LOG.info("{}: {} no longer leads", lease, settings.identity());
    }

    @Override
    public boolean isLeading() {
        return leading.get();
    }

    @Override
    public void whenLeading(Runnable hook) {
        onStart.add(hook);
        if (leading.get()) {
            runQuietly(hook); // the writers' hooks only queue reconciles: running one twice costs nothing
        }
    }

    public String lease() {
        return lease;
    }

    private static void runQuietly(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            LOG.warn("a leadership hook failed", e);
        }
    }

    /** Ends the election; a leader releases the Lease (fabric8's release-on-cancel) and stops writing at once. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        leading.set(false);
        round.cancel(true);
    }
}
