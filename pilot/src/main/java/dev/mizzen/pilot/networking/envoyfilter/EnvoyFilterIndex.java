package dev.mizzen.pilot.networking.envoyfilter;

import com.google.protobuf.Message;
import dev.mizzen.api.config.Config;
import dev.mizzen.api.envoy.PatchObjects;
import dev.mizzen.api.networking.EnvoyFilter;
import dev.mizzen.api.security.PolicyTargetReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The EnvoyFilters of one push, their patches read once (Istio's initEnvoyFilters and EnvoyFilters(proxy)).
 * A proxy gets the filters of the root namespace and of its own namespace that select it: by
 * {@code workloadSelector} labels, by {@code targetRefs} (a Gateway, by the {@code gateway.networking.k8s.io/
 * gateway-name} label its pods carry), or all of the namespace when neither is set. They apply by
 * {@code priority}, then root namespace before the workload's, then oldest first, then by name; patches of one
 * filter in the order written. A patch whose value does not read as its type is dropped with a log line (the
 * webhook refuses those; this guards the store's older objects). Immutable.
 */
public final class EnvoyFilterIndex {
    private static final Logger LOG = LoggerFactory.getLogger(EnvoyFilterIndex.class);
    private static final String GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";
    public static final EnvoyFilterIndex EMPTY = new EnvoyFilterIndex(Map.of(), "istio-system");

    private static final java.util.Set<ConfigPatch.Operation> INSERTS = java.util.EnumSet.of(
            ConfigPatch.Operation.INSERT_BEFORE, ConfigPatch.Operation.INSERT_AFTER, ConfigPatch.Operation.INSERT_FIRST);
    private static final java.util.Set<ConfigPatch.ApplyTo> LISTS = java.util.EnumSet.of(ConfigPatch.ApplyTo.HTTP_FILTER,
            ConfigPatch.ApplyTo.NETWORK_FILTER, ConfigPatch.ApplyTo.HTTP_ROUTE, ConfigPatch.ApplyTo.LISTENER_FILTER);

    private record Entry(Config<EnvoyFilter> config, int priority, Instant created, List<ConfigPatch> patches) {
    }

    private final Map<String, List<Entry>> byNamespace;
    private final String rootNamespace;

    private EnvoyFilterIndex(Map<String, List<Entry>> byNamespace, String rootNamespace) {
        this.byNamespace = byNamespace;
        this.rootNamespace = rootNamespace;
    }

    public static EnvoyFilterIndex build(List<Config<EnvoyFilter>> filters, String rootNamespace) {
        Map<String, List<Entry>> byNamespace = new HashMap<>();
        for (Config<EnvoyFilter> config : filters) {
            EnvoyFilter spec = config.spec();
            List<ConfigPatch> patches = new ArrayList<>();
            for (int i = 0; i < spec.configPatches().size(); i++) {
                read(config, i, spec.configPatches().get(i)).ifPresent(patches::add);
            }
            byNamespace.computeIfAbsent(config.namespace(), k -> new ArrayList<>()).add(new Entry(config,
                    spec.priority() == null ? 0 : spec.priority(), config.meta().creationTimestamp(), List.copyOf(patches)));
        }
        Map<String, List<Entry>> frozen = new HashMap<>();
        byNamespace.forEach((ns, list) -> frozen.put(ns, List.copyOf(list)));
        return new EnvoyFilterIndex(Map.copyOf(frozen), rootNamespace);
    }

    public boolean isEmpty() {
        return byNamespace.isEmpty();
    }

    private static java.util.Optional<ConfigPatch> read(Config<EnvoyFilter> config, int index,
                                                        EnvoyFilter.EnvoyConfigObjectPatch patch) {
        try {
            ConfigPatch.ApplyTo applyTo = ConfigPatch.ApplyTo.valueOf(patch.applyTo());
            ConfigPatch.Operation operation = ConfigPatch.Operation.valueOf(patch.patch().operation());
            if (INSERTS.contains(operation) && !LISTS.contains(applyTo)) {
                // inserting is only defined where order matters; elsewhere Istio treats it as ADD
                operation = ConfigPatch.Operation.ADD;
            }
            Message value = operation == ConfigPatch.Operation.REMOVE || patch.patch().value() == null ? null
                    : PatchObjects.build(applyTo.name(), patch.patch().value(), PatchObjects.Strictness.LENIENT);
            EnvoyFilter.EnvoyConfigObjectMatch match = patch.match();
            Pattern version = null;
            if (match != null && match.proxy() != null && match.proxy().proxyVersion() != null
                    && !match.proxy().proxyVersion().isEmpty()) {
                version = Pattern.compile(match.proxy().proxyVersion());
            }
            PatchContext context = PatchContext.parse(match == null ? null : match.context());
            return java.util.Optional.of(new ConfigPatch(config.key(), index, applyTo, operation, context, match,
                    version, value, ConfigPatch.FilterClass.parse(patch.patch().filterClass())));
        } catch (PatchObjects.InvalidPatchValue | IllegalArgumentException | NullPointerException e) {
            LOG.warn("{}: configPatches[{}] ignored: {}", config.key(), index, e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /**
     * The patches that apply to a proxy, in the order they apply.
     *
     * @param labels   the proxy's labels
     * @param metadata the proxy's metadata (ISTIO_VERSION and what proxy matches name)
     */
    public ProxyPatches forProxy(String namespace, Map<String, String> labels, Map<String, String> metadata) {
        List<Entry> matched = new ArrayList<>(selecting(rootNamespace, labels));
        if (!namespace.equals(rootNamespace)) {
            matched.addAll(selecting(namespace, labels));
        }
        if (matched.isEmpty()) {
            return ProxyPatches.NONE;
        }
        matched.sort(Comparator.comparingInt(Entry::priority)
                .thenComparing(e -> !e.config().namespace().equals(rootNamespace))
                .thenComparing(Entry::created)
                .thenComparing(e -> e.config().name() + "." + e.config().namespace()));
        List<ConfigPatch> out = new ArrayList<>();
        for (Entry entry : matched) {
            for (ConfigPatch patch : entry.patches()) {
                if (patch.matchesProxy(metadata)) {
                    out.add(patch);
                }
            }
        }
        return ProxyPatches.of(out);
    }

    private List<Entry> selecting(String namespace, Map<String, String> labels) {
        return byNamespace.getOrDefault(namespace, List.of()).stream().filter(e -> selects(e.config().spec(), labels)).toList();
    }

    private static boolean selects(EnvoyFilter filter, Map<String, String> labels) {
        if (!filter.targetRefs().isEmpty()) {
            for (PolicyTargetReference ref : filter.targetRefs()) {
                if ("Gateway".equals(ref.kind()) && ref.name() != null && ref.name().equals(labels.get(GATEWAY_NAME_LABEL))) {
                    return true;
                }
            }
            return false;
        }
        if (filter.workloadSelector() == null) {
            return true;
        }
        return labels.entrySet().containsAll(filter.workloadSelector().labels().entrySet());
    }
}
