package dev.mizzen.istiod.analysis;

import com.google.common.util.concurrent.RateLimiter;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.kube.Leadership;
import dev.mizzen.galley.config.KubeConfigStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Writes {@link ValidationStatus.Patch}es through the status subresource of Istio's CRDs, one at a time, no faster
 * than the settings allow, and only while this replica leads.
 *
 * <p>Pending writes are kept per object, the latest replacing an older one not yet sent (as Istio's status
 * WorkQueue), so a burst of analyses costs at most one write per object. A write that fails is not retried here: a
 * conflict (the object changed since the plan) asks for a new analysis, which plans again from what the object says
 * then; a deleted object (404) needs nothing; a refusal (403, an RBAC rule missing) or any other error is logged once
 * per kind and reason, and analysis goes on.
 *
 * <p>Concurrency: {@link #submit} is called on the analysis thread and only fills {@code pending} under its lock;
 * one thread of {@code worker} drains it ({@code draining} says whether a drain is queued or running, under the same
 * lock), so writes never run on the push or analysis threads and never two at once.
 */
final class StatusWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final KubernetesClient client;
    private final Leadership leadership;
    private final RateLimiter rate;
    private final Runnable onConflict;
    private final MeterRegistry meters;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            new ThreadFactoryBuilder().setNameFormat("status-writer").setDaemon(true).build());
    private final Map<ConfigKey, ValidationStatus.Patch> pending = new LinkedHashMap<>();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private boolean draining;

    StatusWriter(KubernetesClient client, Leadership leadership, double writesPerSecond, Runnable onConflict,
                 MeterRegistry meters) {
        this.client = client;
        this.leadership = leadership;
        this.rate = RateLimiter.create(writesPerSecond);
        this.onConflict = onConflict;
        this.meters = meters;
    }

    /** Queues these writes, each replacing one for the same object not yet sent; returns at once. */
    void submit(List<ValidationStatus.Patch> patches) {
        if (patches.isEmpty()) {
            return;
        }
        synchronized (pending) {
            for (ValidationStatus.Patch p : patches) {
                pending.remove(p.key()); // a newer plan goes to the back, behind the ones waiting longer
                pending.put(p.key(), p);
            }
            if (!draining) {
                draining = true;
                worker.execute(this::drain);
            }
        }
    }

    /** How many writes wait: for tests and logs. */
    int pending() {
        synchronized (pending) {
            return pending.size();
        }
    }

    private void drain() {
        while (true) {
            ValidationStatus.Patch next;
            synchronized (pending) {
                Iterator<ValidationStatus.Patch> it = pending.values().iterator();
                if (!it.hasNext() || Thread.currentThread().isInterrupted()) {
                    draining = false;
                    return;
                }
                next = it.next();
                it.remove();
                if (!leadership.isLeading()) {
                    // the new leader plans from what the objects say: nothing a follower held is needed
                    pending.clear();
                    draining = false;
                    return;
                }
            }
            rate.acquire();
            write(next);
        }
    }

    private void write(ValidationStatus.Patch patch) {
        ConfigKey key = patch.key();
        try {
            client.genericKubernetesResources(KubeConfigStore.resourceContext(key.kind()))
                    .inNamespace(key.namespace()).withName(key.name())
                    .subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), JSON.writeValueAsString(patch.body()));
            count("written");
            LOG.debug("status of {} now has {} validation messages (generation {})", key,
                    patch.validationMessages().size(), patch.observedGeneration());
        } catch (KubernetesClientException e) {
            switch (e.getCode()) {
                case 404 -> {
                    count("not_found");
                    LOG.debug("{} was deleted before its status was written", key);
                }
                case 409 -> {
                    count("conflict");
                    LOG.debug("{} changed before its status was written; analysing again", key);
                    onConflict.run();
                }
                case 403 -> {
                    count("forbidden");
                    once("403 " + key.kind().kind(), "istiod may not write the status of {} ({}/status in {}): the "
                            + "ClusterRole must allow update and patch on it; status writes of this kind are skipped: {}",
                            key.kind().kind(), key.kind().plural(), key.kind().group().groupName(), e.getMessage());
                }
                default -> {
                    count("failed");
                    once(e.getCode() + " " + key.kind().kind(), "writing the status of {} failed ({}): {}",
                            key, e.getCode(), e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            count("failed");
            once("error " + key.kind().kind(), "writing the status of {} failed: {}", key, e.toString());
        }
    }

    /** A warning the first time, debug after: an error that repeats at every analysis must not flood the log. */
    private void once(String reason, String format, Object... args) {
        if (reported.add(reason)) {
            LOG.warn(format, args);
        } else {
            LOG.debug(format, args);
        }
    }

    private void count(String result) {
        Counter.builder("istiod_status_writes")
                .description("Writes of analysis messages into Istio config objects' status, by result")
                .tag("result", result)
                .register(meters)
                .increment();
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
