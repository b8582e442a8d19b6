package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.EnvoyFilter;
import dev.mizzen.api.networking.EnvoyFilter.EnvoyConfigObjectPatch;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Istio's {@code envoyfilter.EnvoyPatchAnalyzer}: patch operations that do nothing where they are applied (ADD or
 * REMOVE on route configurations and routes, IST0153/IST0154; REPLACE outside network and HTTP filters and virtual
 * hosts, IST0152), and relative operations (INSERT_BEFORE/AFTER, REPLACE, REMOVE) in an EnvoyFilter without a
 * priority, whose result depends on the order filters are applied in (IST0151), worse when an earlier filter patching
 * the same name is pinned to a proxy version, as an upgrade reorders them (IST0155). Filters are walked by namespace
 * and name, the order "earlier" refers to. Messages point at the object, not the patch: Istio finds no line for a
 * patch value, so the same message for several patches of one filter is one message, as there.
 */
final class EnvoyFilterPatchAnalyzer implements Analyzer {
    @Override
    public String name() {
        return "envoyfilter.EnvoyPatchAnalyzer";
    }

    @Override
    public String description() {
        return "Checks an envoyFilters ";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        Set<String> versionPinnedNames = new HashSet<>();
        for (Config<EnvoyFilter> c : Sorted.byName(ctx.list(ConfigKind.ENVOY_FILTER))) {
            analyze(ctx, c, versionPinnedNames);
        }
    }

    private static void analyze(AnalysisContext ctx, Config<EnvoyFilter> c, Set<String> versionPinnedNames) {
        Origin origin = AnalysisContext.origin(c);
        int priority = c.spec().priority() == null ? 0 : c.spec().priority();
        for (int i = 0; i < c.spec().configPatches().size(); i++) {
            EnvoyConfigObjectPatch p = c.spec().configPatches().get(i);
            if (p.patch() == null) {
                break;
            }
            String name = patchedName(p);
            String op = Objects.requireNonNullElse(p.patch().operation(), "");
            String applyTo = Objects.requireNonNullElse(p.applyTo(), "");
            boolean onRoutes = applyTo.equals("ROUTE_CONFIGURATION") || applyTo.equals("HTTP_ROUTE");
            switch (op) {
                case "ADD" -> {
                    if (onRoutes) {
                        ctx.report(Messages.ENVOY_FILTER_USES_ADD_OPERATION_INCORRECTLY.on(origin));
                    }
                }
                case "REMOVE" -> {
                    if (onRoutes) {
                        ctx.report(Messages.ENVOY_FILTER_USES_REMOVE_OPERATION_INCORRECTLY.on(origin));
                    } else {
                        relative(ctx, origin, priority, versionPinnedNames, name);
                    }
                }
                case "REPLACE" -> {
                    if (!applyTo.equals("NETWORK_FILTER") && !applyTo.equals("HTTP_FILTER")
                            && !applyTo.equals("VIRTUAL_HOST")) {
                        ctx.report(Messages.ENVOY_FILTER_USES_REPLACE_OPERATION_INCORRECTLY.on(origin));
                    } else {
                        relative(ctx, origin, priority, versionPinnedNames, name);
                    }
                }
                case "INSERT_BEFORE", "INSERT_AFTER" -> relative(ctx, origin, priority, versionPinnedNames, name);
                default -> {
                }
            }
            if (p.match() != null && p.match().proxy() != null && p.match().proxy().proxyVersion() != null
                    && !p.match().proxy().proxyVersion().isEmpty()) {
                versionPinnedNames.add(name);
            }
        }
    }

    private static void relative(AnalysisContext ctx, Origin origin, int priority,
                                 Set<String> versionPinnedNames, String name) {
        if (priority != 0) {
            return;
        }
        MessageType type = versionPinnedNames.contains(name)
                ? Messages.ENVOY_FILTER_USES_RELATIVE_OPERATION_WITH_PROXY_VERSION
                : Messages.ENVOY_FILTER_USES_RELATIVE_OPERATION;
        ctx.report(type.on(origin));
    }

    /**
     * The name a patch is about, as Istio reads it: the patch value's {@code name}, else (when the value has other
     * fields) the filter the listener match names; {@code ""} when neither.
     */
    private static String patchedName(EnvoyConfigObjectPatch p) {
        if (p.patch().value() == null || p.patch().value().isEmpty()) {
            return "";
        }
        Object name = p.patch().value().get("name");
        if (name != null) {
            return String.valueOf(name);
        }
        if (p.match() != null && p.match().listener() != null && p.match().listener().filterChain() != null
                && p.match().listener().filterChain().filter() != null) {
            return Objects.requireNonNullElse(p.match().listener().filterChain().filter().name(), "");
        }
        return "";
    }
}
