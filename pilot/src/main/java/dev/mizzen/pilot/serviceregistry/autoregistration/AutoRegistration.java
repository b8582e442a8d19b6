package dev.mizzen.pilot.serviceregistry.autoregistration;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.ConfigSnapshot;
import dev.mizzen.api.identity.SpiffeId;
import dev.mizzen.api.networking.WorkloadEntry;
import dev.mizzen.api.networking.WorkloadGroup;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.xds.ConnectionHooks;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * WorkloadEntry auto-registration as Istio's autoregistration controller does it: a proxy that connects with
 * {@code AUTO_REGISTER_GROUP} metadata gets a WorkloadEntry {@code <group>-<ip>[-<network>]} in its namespace, made
 * from the WorkloadGroup's template (labels: template, then the group's metadata, then the proxy's), owned by the
 * group and annotated with the group, the controlling istiod and the connection time; only a proxy with a verified
 * identity of that namespace (and of the template's service account) may register, else the stream is refused. A
 * reconnect marks the entry connected again; a disconnect marks it disconnected, and {@code gracePeriod} later
 * (Istio's PILOT_WORKLOAD_ENTRY_GRACE_PERIOD, 10 s) it is deleted unless the proxy came back.
 *
 * <p>Threading: every read and write of entries runs on {@code executor}, one task at a time (it must be
 * single-threaded), so a connect and a disconnect of the same entry are applied in the order they happened.
 * Health checks of the agent's readiness probe are not done (Istio's WorkloadEntry health controller).
 */
public final class AutoRegistration implements ConnectionHooks {
    private static final Logger LOG = LoggerFactory.getLogger(AutoRegistration.class);
    static final String GROUP = "istio.io/autoRegistrationGroup";
    static final String CONTROLLER = "istio.io/workloadController";
    static final String CONNECTED_AT = "istio.io/connectedAt";
    static final String DISCONNECTED_AT = "istio.io/disconnectedAt";
    private static final String LOCALITY_LABEL = "istio-locality";
    private static final int MAX_NAME = 253;

    private final Supplier<ConfigSnapshot> configs;
    private final WorkloadEntryStore store;
    private final String instance;
    private final Duration gracePeriod;
    private final ScheduledExecutorService executor;
    private final Clock clock;

    /**
     * @param instance    this istiod's name, written as the entry's controller
     * @param executor    a single-threaded executor of this registration's own
     */
    public AutoRegistration(Supplier<ConfigSnapshot> configs, WorkloadEntryStore store, String instance,
                            Duration gracePeriod, ScheduledExecutorService executor, Clock clock) {
        this.configs = configs;
        this.store = store;
        this.instance = instance;
        this.gracePeriod = gracePeriod;
        this.executor = executor;
        this.clock = clock;
    }

    private static Optional<String> group(Proxy proxy) {
        return Optional.ofNullable(proxy.metadata().get("AUTO_REGISTER_GROUP")).filter(g -> !g.isEmpty());
    }

    /** Istio's autoregisteredWorkloadEntryName: group, first IP (colons made dashes), network; the last 253 characters. */
    static Optional<String> entryName(Proxy proxy) {
        Optional<String> group = group(proxy);
        if (group.isEmpty() || proxy.ipAddresses().isEmpty()) {
            return Optional.empty();
        }
        StringBuilder name = new StringBuilder(group.get()).append('-').append(proxy.ipAddresses().get(0).replace(':', '-'));
        String network = proxy.metadata().getOrDefault("NETWORK", "");
        if (!network.isEmpty()) {
            name.append('-').append(network);
        }
        return Optional.of(name.length() > MAX_NAME ? name.substring(name.length() - MAX_NAME) : name.toString());
    }

    @Override
    public CompletableFuture<Void> connected(Proxy proxy, Instant at) {
        if (group(proxy).isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(() -> register(proxy, at), executor);
    }

    @Override
    public void disconnected(Proxy proxy, Instant at) {
        if (group(proxy).isEmpty()) {
            return;
        }
        executor.execute(() -> {
            try {
                unregister(proxy, at);
            } catch (RuntimeException e) {
                LOG.warn("marking the WorkloadEntry of {} disconnected failed: {}", proxy.id(), e.toString());
            }
        });
    }

    private void register(Proxy proxy, Instant at) {
        String name = entryName(proxy).orElseThrow(() -> Status.INVALID_ARGUMENT
                .withDescription("auto-registration of " + proxy.id() + " failed: missing IP addresses").asRuntimeException());
        String namespace = proxy.namespace();
        Optional<WorkloadEntryStore.Stored> existing = store.get(namespace, name);
        if (existing.isPresent()) {
            checkIdentity(proxy, existing.get().serviceAccount());
            Optional<Instant> disconnected = time(existing.get().annotations().get(DISCONNECTED_AT));
            if (disconnected.isPresent() && at.isBefore(disconnected.get())) {
                return; // a disconnect that happened after this connect was already applied
            }
            store.annotate(namespace, name, Map.of(CONTROLLER, instance, CONNECTED_AT, at.toString()), Set.of(DISCONNECTED_AT));
            LOG.info("updated auto-registered WorkloadEntry {}/{} as connected", namespace, name);
            return;
        }
        String groupName = group(proxy).orElseThrow();
        Config<WorkloadGroup> group = configs.get().list(ConfigKind.WORKLOAD_GROUP).stream()
                .filter(c -> c.namespace().equals(namespace) && c.name().equals(groupName)).findFirst()
                .orElseThrow(() -> Status.FAILED_PRECONDITION.withDescription("auto-registration WorkloadEntry of "
                        + proxy.id() + " failed: cannot find WorkloadGroup " + namespace + "/" + groupName).asRuntimeException());
        WorkloadEntry template = group.spec().template();
        checkIdentity(proxy, template == null ? "" : template.serviceAccount());
        store.create(fromGroup(name, proxy, group, at));
        LOG.info("auto-registered WorkloadEntry {}/{}", namespace, name);
    }

    /** Istio's ensureProxyCanControlEntry. */
    private static void checkIdentity(Proxy proxy, String serviceAccount) {
        SpiffeId id = proxy.identity().verified().orElseThrow(() -> Status.PERMISSION_DENIED
                .withDescription("registration of WorkloadEntry requires a verified identity").asRuntimeException());
        if (!id.namespace().equals(proxy.namespace())) {
            throw Status.PERMISSION_DENIED.withDescription("registration of WorkloadEntry namespace mismatch").asRuntimeException();
        }
        if (serviceAccount != null && !serviceAccount.isEmpty() && !serviceAccount.equals(id.serviceAccount())) {
            throw Status.PERMISSION_DENIED.withDescription("registration of WorkloadEntry service account mismatch: "
                    + id.serviceAccount() + " vs " + serviceAccount).asRuntimeException();
        }
    }

    /** Istio's workloadEntryFromGroup. */
    private WorkloadEntryStore.NewEntry fromGroup(String name, Proxy proxy, Config<WorkloadGroup> group, Instant at) {
        WorkloadEntry template = group.spec().template();
        Map<String, String> labels = new LinkedHashMap<>(template == null ? Map.of() : template.labels());
        WorkloadGroup.ObjectMetadata meta = group.spec().metadata();
        if (meta != null) {
            labels.putAll(meta.labels());
        }
        labels.putAll(proxy.labels());
        labels.remove(LOCALITY_LABEL);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(GROUP, group.name());
        if (meta != null) {
            annotations.putAll(meta.annotations());
        }
        annotations.put(CONTROLLER, instance);
        annotations.put(CONNECTED_AT, at.toString());
        Map<String, Object> spec = new HashMap<>();
        spec.put("address", proxy.ipAddresses().get(0));
        if (!labels.isEmpty()) {
            spec.put("labels", labels);
        }
        String network = proxy.metadata().getOrDefault("NETWORK", "");
        if (template != null) {
            if (!template.ports().isEmpty()) {
                spec.put("ports", template.ports());
            }
            putIfSet(spec, "network", template.network());
            putIfSet(spec, "locality", template.locality());
            if (template.weight() != null) {
                spec.put("weight", template.weight());
            }
            putIfSet(spec, "serviceAccount", template.serviceAccount());
        }
        putIfSet(spec, "network", network);
        return new WorkloadEntryStore.NewEntry(proxy.namespace(), name, group.name(), labels, annotations, spec);
    }

    private static void putIfSet(Map<String, Object> spec, String key, String value) {
        if (value != null && !value.isEmpty()) {
            spec.put(key, value);
        }
    }

    /** Istio's changeWorkloadEntryStateToDisconnected, then the cleanup after the grace period. */
    private void unregister(Proxy proxy, Instant at) {
        Optional<String> name = entryName(proxy);
        if (name.isEmpty()) {
            return;
        }
        String namespace = proxy.namespace();
        Optional<WorkloadEntryStore.Stored> entry = store.get(namespace, name.get());
        if (entry.isEmpty() || !instance.equals(entry.get().annotations().get(CONTROLLER))) {
            return; // gone, or another istiod (or a later connection) controls it
        }
        Optional<Instant> connected = time(entry.get().annotations().get(CONNECTED_AT));
        if (connected.isPresent() && connected.get().isAfter(at)) {
            return; // the proxy reconnected after this disconnect
        }
        store.annotate(namespace, name.get(), Map.of(DISCONNECTED_AT, at.toString()), Set.of(CONTROLLER));
        LOG.info("updated auto-registered WorkloadEntry {}/{} as disconnected", namespace, name.get());
        executor.schedule(() -> cleanup(namespace, name.get()), gracePeriod.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Istio's shouldCleanupEntry: still disconnected, by nobody controlled, for the grace period. */
    private void cleanup(String namespace, String name) {
        try {
            Optional<WorkloadEntryStore.Stored> entry = store.get(namespace, name);
            if (entry.isEmpty() || entry.get().annotations().containsKey(CONTROLLER)) {
                return;
            }
            Optional<Instant> disconnected = time(entry.get().annotations().get(DISCONNECTED_AT));
            if (disconnected.isEmpty() || clock.instant().isBefore(disconnected.get().plus(gracePeriod))) {
                return;
            }
            store.delete(namespace, name);
            LOG.info("cleaned up auto-registered WorkloadEntry {}/{}", namespace, name);
        } catch (RuntimeException e) {
            LOG.warn("cleaning up WorkloadEntry {}/{} failed: {}", namespace, name, e.toString());
        }
    }

    private static Optional<Instant> time(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
