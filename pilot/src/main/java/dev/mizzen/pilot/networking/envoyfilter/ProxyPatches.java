package dev.mizzen.pilot.networking.envoyfilter;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The EnvoyFilter patches that apply to one proxy, by what they patch, in the order they apply (Istio's
 * MergedEnvoyFilterWrapper). Equal for proxies that get the same patches: the generator caches patched
 * output by it. Immutable.
 */
public final class ProxyPatches {
    public static final ProxyPatches NONE = new ProxyPatches(List.of());

    private final List<ConfigPatch> all;
    private final Map<ConfigPatch.ApplyTo, List<ConfigPatch>> byApplyTo;

    private ProxyPatches(List<ConfigPatch> all) {
        this.all = List.copyOf(all);
        Map<ConfigPatch.ApplyTo, List<ConfigPatch>> grouped = new EnumMap<>(ConfigPatch.ApplyTo.class);
        for (ConfigPatch p : all) {
            grouped.computeIfAbsent(p.applyTo(), k -> new java.util.ArrayList<>()).add(p);
        }
        grouped.replaceAll((k, v) -> List.copyOf(v));
        this.byApplyTo = grouped;
    }

    static ProxyPatches of(List<ConfigPatch> patches) {
        return patches.isEmpty() ? NONE : new ProxyPatches(patches);
    }

    public boolean isEmpty() {
        return all.isEmpty();
    }

    public List<ConfigPatch> get(ConfigPatch.ApplyTo applyTo) {
        return byApplyTo.getOrDefault(applyTo, List.of());
    }

    /** True when some patch changes objects of these kinds: the others are served as generated. */
    public boolean touches(ConfigPatch.ApplyTo... kinds) {
        for (ConfigPatch.ApplyTo kind : kinds) {
            if (byApplyTo.containsKey(kind)) {
                return true;
            }
        }
        return false;
    }

    /** The EnvoyFilters these patches come from, {@code ns/name}, sorted: for log lines. */
    public String filters() {
        TreeSet<String> names = new TreeSet<>();
        all.forEach(p -> names.add(p.filter().namespace() + "/" + p.filter().name()));
        return String.join(", ", names);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxyPatches other && all.equals(other.all);
    }

    @Override
    public int hashCode() {
        return all.hashCode();
    }

    @Override
    public String toString() {
        return all.stream().map(ConfigPatch::id).toList().toString();
    }
}
