package dev.mizzen.pilot.networking.envoyfilter;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.mizzen.api.networking.EnvoyFilter;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * LISTENER, LISTENER_FILTER, FILTER_CHAIN, NETWORK_FILTER and HTTP_FILTER patches (Istio's listener_patch.go),
 * top down: a listener is merged or removed, then its listener filters, its filter chains (merged, removed,
 * added), each chain's network filters (list operations, then merges), and in an HTTP connection manager its
 * HTTP filters the same way. Inbound HCMs' inline route configurations get ROUTE_CONFIGURATION patches of the
 * inbound context, as Istio applies them while it builds them. Pure over immutable messages.
 */
public final class ListenerPatcher {
    static final String HCM = "envoy.filters.network.http_connection_manager";
    private static final String VIRTUAL_INBOUND = "virtualInbound";
    private static final String VIRTUAL_OUTBOUND = "virtualOutbound";

    private ListenerPatcher() {
    }

    /** The listeners of one context patched, plus the listeners ADDed in that context. */
    public static List<Listener> apply(ProxyPatches patches, List<Listener> listeners, PatchContext context, PatchLog log) {
        if (!patches.touches(ConfigPatch.ApplyTo.LISTENER, ConfigPatch.ApplyTo.LISTENER_FILTER,
                ConfigPatch.ApplyTo.FILTER_CHAIN, ConfigPatch.ApplyTo.NETWORK_FILTER, ConfigPatch.ApplyTo.HTTP_FILTER,
                ConfigPatch.ApplyTo.ROUTE_CONFIGURATION, ConfigPatch.ApplyTo.VIRTUAL_HOST, ConfigPatch.ApplyTo.HTTP_ROUTE)) {
            return listeners;
        }
        List<Listener> out = new ArrayList<>();
        for (Listener listener : listeners) {
            patchListener(patches, context, listener, log).ifPresent(out::add);
        }
        for (ConfigPatch cp : patches.get(ConfigPatch.ApplyTo.LISTENER)) {
            if (cp.operation() != ConfigPatch.Operation.ADD) {
                continue;
            }
            // without a context, a listener is added only on the outbound side of a sidecar and to gateways
            if (cp.context() == PatchContext.ANY && context != PatchContext.SIDECAR_OUTBOUND
                    && context != PatchContext.GATEWAY) {
                continue;
            }
            if (cp.appliesIn(context)) {
                out.add(cp.value(Listener.class));
                log.applied(cp);
            }
        }
        return out;
    }

    private static Optional<Listener> patchListener(ProxyPatches patches, PatchContext context, Listener listener,
                                                    PatchLog log) {
        Listener current = listener;
        for (ConfigPatch cp : patches.get(ConfigPatch.ApplyTo.LISTENER)) {
            if (!cp.appliesIn(context) || !listenerMatch(current, cp)) {
                continue;
            }
            if (cp.operation() == ConfigPatch.Operation.REMOVE) {
                log.applied(cp);
                return Optional.empty();
            }
            if (cp.operation().merges()) {
                current = ProtoMerge.merge(current, cp.value(Listener.class), ClusterPatcher.lists(cp));
                log.applied(cp);
            }
        }
        Listener.Builder builder = current.toBuilder();
        patchListenerFilters(patches, context, builder, log);
        patchFilterChains(patches, context, builder, log);
        return Optional.of(builder.build());
    }

    private static void patchListenerFilters(ProxyPatches patches, PatchContext context, Listener.Builder listener,
                                             PatchLog log) {
        for (ConfigPatch cp : patches.get(ConfigPatch.ApplyTo.LISTENER_FILTER)) {
            if (!cp.appliesIn(context) || !listenerMatch(listener.build(), cp)) {
                continue;
            }
            String wanted = cp.listener().map(EnvoyFilter.ListenerMatch::listenerFilter).orElse("");
            boolean hasMatch = wanted != null && !wanted.isEmpty();
            List<ListenerFilter> before = listener.getListenerFiltersList();
            if (cp.operation().merges()) {
                // the named listener filter, merged as network filters are: name replaced, typed config merged
                if (hasMatch) {
                    List<ListenerFilter> merged = before.stream().map(f -> f.getName().equals(wanted)
                            ? mergeListenerFilter(f, cp.value(ListenerFilter.class)) : f).toList();
                    if (!merged.equals(before)) {
                        listener.clearListenerFilters().addAllListenerFilters(merged);
                        log.applied(cp);
                    }
                }
                continue;
            }
            List<ListenerFilter> after = ListPatches.apply(cp.operation(), before,
                    cp.value() == null ? null : cp.value(ListenerFilter.class), hasMatch, f -> f.getName().equals(wanted));
            if (after != before) {
                listener.clearListenerFilters().addAllListenerFilters(after);
                log.applied(cp);
            }
        }
    }

    private static ListenerFilter mergeListenerFilter(ListenerFilter current, ListenerFilter user) {
        ListenerFilter.Builder builder = current.toBuilder();
        if (!user.getName().isEmpty()) {
            builder.setName(user.getName());
        }
        if (user.hasTypedConfig()) {
            builder.setTypedConfig(current.hasTypedConfig()
                    ? ProtoMerge.mergeAny(current.getTypedConfig(), user.getTypedConfig()).orElse(current.getTypedConfig())
                    : user.getTypedConfig());
        }
        return builder.build();
    }

    private static void patchFilterChains(ProxyPatches patches, PatchContext context, Listener.Builder listener,
                                          PatchLog log) {
        Listener shape = listener.build();
        List<FilterChain> chains = new ArrayList<>();
        for (FilterChain chain : listener.getFilterChainsList()) {
            if (chain.getFiltersCount() == 0) {
                chains.add(chain);
                continue;
            }
            patchFilterChain(patches, context, shape, chain, log).ifPresent(chains::add);
        }
        if (listener.hasDefaultFilterChain() && listener.getDefaultFilterChain().getFiltersCount() > 0) {
            Optional<FilterChain> patched = patchFilterChain(patches, context, shape, listener.getDefaultFilterChain(), log);
            if (patched.isPresent()) {
                listener.setDefaultFilterChain(patched.get());
            } else {
                listener.clearDefaultFilterChain();
            }
        }
        for (ConfigPatch cp : patches.get(ConfigPatch.ApplyTo.FILTER_CHAIN)) {
            if (cp.operation() == ConfigPatch.Operation.ADD && cp.appliesIn(context) && listenerMatch(shape, cp)) {
                chains.add(cp.value(FilterChain.class));
                log.applied(cp);
            }
        }
        listener.clearFilterChains().addAllFilterChains(chains);
    }

    private static Optional<FilterChain> patchFilterChain(ProxyPatches patches, PatchContext context, Listener listener,
                                                          FilterChain chain, PatchLog log) {
        FilterChain current = chain;
        for (ConfigPatch cp : patches.get(ConfigPatch.ApplyTo.FILTER_CHAIN)) {
            if (!cp.appliesIn(context) || !listenerMatch(listener, cp) || !filterChainMatch(listener, current, cp)) {
                continue;
            }
            if (cp.operation() == ConfigPatch.Operation.REMOVE) {
                log.applied(cp);
                return Optional.empty();
            }
            if (cp.operation().merges()) {
                FilterChain value = cp.value(FilterChain.class);
                if (value.hasTransportSocket() && current.hasTransportSocket()
                        && value.getTransportSocket().getName().equals(current.getTransportSocket().getName())) {
                    // Istio's mergeTransportSocketListener: a socket of the same name has its typed config merged as
                    // messages; a socket of another name is replaced by the plain merge below
                    if (value.getTransportSocket().hasTypedConfig() && current.getTransportSocket().hasTypedConfig()) {
                        FilterChain base = current;
                        current = ProtoMerge.mergeAny(current.getTransportSocket().getTypedConfig(),
                                        value.getTransportSocket().getTypedConfig())
                                .map(any -> base.toBuilder().setTransportSocket(
                                        base.getTransportSocket().toBuilder().setTypedConfig(any)).build())
                                .orElse(current);
                    }
                } else {
                    current = ProtoMerge.merge(current, value, ClusterPatcher.lists(cp));
                }
                log.applied(cp);
            }
        }
        return Optional.of(patchNetworkFilters(patches, context, listener, current, log));
    }

    private static FilterChain patchNetworkFilters(ProxyPatches patches, PatchContext context, Listener listener,
                                                   FilterChain chain, PatchLog log) {
        List<Filter> filters = chain.getFiltersList();
        for (ConfigPatch cp : patches.get(ConfigPatch.ApplyTo.NETWORK_FILTER)) {
            if (!cp.appliesIn(context) || !listenerMatch(listener, cp) || !filterChainMatch(listener, chain, cp)
                    || cp.operation().merges()) {
                continue;
            }
            List<Filter> after = ListPatches.apply(cp.operation(), filters,
                    cp.value() == null ? null : cp.value(Filter.class), hasNetworkFilterMatch(cp),
                    f -> networkFilterMatch(f, cp));
            if (after != filters) {
                filters = after;
                log.applied(cp);
            }
        }
        List<Filter> merged = new ArrayList<>(filters.size());
        for (Filter filter : filters) {
            merged.add(patchNetworkFilter(patches, context, listener, chain, filter, log));
        }
        return chain.toBuilder().clearFilters().addAllFilters(merged).build();
    }

    private static Filter patchNetworkFilter(ProxyPatches patches, PatchContext context, Listener listener,
                                             FilterChain chain, Filter filter, PatchLog log) {
        Filter current = filter;
        for (ConfigPatch cp : patches.get(ConfigPatch.ApplyTo.NETWORK_FILTER)) {
            if (!cp.operation().merges() || !cp.appliesIn(context) || !listenerMatch(listener, cp)
                    || !filterChainMatch(listener, chain, cp) || !networkFilterMatch(current, cp)) {
                continue;
            }
            if (!current.hasTypedConfig()) {
                continue; // Istio skips: a merge of a typed config into an untyped filter is not defined
            }
            Filter user = cp.value(Filter.class);
            Filter.Builder builder = current.toBuilder();
            if (!user.getName().isEmpty()) {
                builder.setName(user.getName());
            }
            if (user.hasTypedConfig()) {
                Any userConfig = user.getTypedConfig().toBuilder().setTypeUrl(current.getTypedConfig().getTypeUrl()).build();
                builder.setTypedConfig(ProtoMerge.mergeAny(current.getTypedConfig(), userConfig)
                        .orElse(current.getTypedConfig()));
            }
            current = builder.build();
            log.applied(cp);
        }
        if (current.getName().equals(HCM)) {
            current = patchHttpFilters(patches, context, listener, chain, current, log);
        }
        return current;
    }

    private static Filter patchHttpFilters(ProxyPatches patches, PatchContext context, Listener listener,
                                           FilterChain chain, Filter filter, PatchLog log) {
        boolean touchesRoutes = context == PatchContext.SIDECAR_INBOUND && patches.touches(
                ConfigPatch.ApplyTo.ROUTE_CONFIGURATION, ConfigPatch.ApplyTo.VIRTUAL_HOST, ConfigPatch.ApplyTo.HTTP_ROUTE);
        if (!patches.touches(ConfigPatch.ApplyTo.HTTP_FILTER) && !touchesRoutes || !filter.hasTypedConfig()) {
            return filter;
        }
        HttpConnectionManager hcm;
        try {
            hcm = filter.getTypedConfig().unpack(HttpConnectionManager.class);
        } catch (InvalidProtocolBufferException e) {
            return filter;
        }
        List<HttpFilter> httpFilters = hcm.getHttpFiltersList();
        for (ConfigPatch cp : patches.get(ConfigPatch.ApplyTo.HTTP_FILTER)) {
            if (cp.operation().merges() || !cp.appliesIn(context) || !listenerMatch(listener, cp)
                    || !filterChainMatch(listener, chain, cp) || !networkFilterMatch(filter, cp)) {
                continue;
            }
            List<HttpFilter> after = cp.filterClass() != ConfigPatch.FilterClass.UNSPECIFIED
                    && cp.operation() != ConfigPatch.Operation.REMOVE && cp.operation() != ConfigPatch.Operation.REPLACE
                    ? FilterPhases.insert(httpFilters, cp.value(HttpFilter.class), cp.filterClass())
                    : ListPatches.apply(cp.operation(), httpFilters, cp.value() == null ? null : cp.value(HttpFilter.class),
                    hasHttpFilterMatch(cp), f -> httpFilterMatch(f, cp));
            if (after != httpFilters) {
                httpFilters = after;
                log.applied(cp);
            }
        }
        List<HttpFilter> merged = new ArrayList<>(httpFilters.size());
        for (HttpFilter httpFilter : httpFilters) {
            merged.add(mergeHttpFilter(patches, context, listener, chain, filter, httpFilter, log));
        }
        HttpConnectionManager.Builder patched = hcm.toBuilder().clearHttpFilters().addAllHttpFilters(merged);
        if (touchesRoutes && hcm.hasRouteConfig()) {
            patched.setRouteConfig(RoutePatcher.apply(patches, hcm.getRouteConfig(), PatchContext.SIDECAR_INBOUND, log));
        }
        HttpConnectionManager result = patched.build();
        if (result.equals(hcm)) {
            return filter;
        }
        return filter.toBuilder().setTypedConfig(Any.pack(result)).build();
    }

    private static HttpFilter mergeHttpFilter(ProxyPatches patches, PatchContext context, Listener listener,
                                              FilterChain chain, Filter filter, HttpFilter httpFilter, PatchLog log) {
        HttpFilter current = httpFilter;
        for (ConfigPatch cp : patches.get(ConfigPatch.ApplyTo.HTTP_FILTER)) {
            if (!cp.operation().merges() || !cp.appliesIn(context) || !listenerMatch(listener, cp)
                    || !filterChainMatch(listener, chain, cp) || !networkFilterMatch(filter, cp)
                    || !httpFilterMatch(current, cp) || !current.hasTypedConfig()) {
                continue;
            }
            HttpFilter user = cp.value(HttpFilter.class);
            HttpFilter.Builder builder = current.toBuilder();
            if (!user.getName().isEmpty()) {
                builder.setName(user.getName());
            }
            if (user.hasTypedConfig()) {
                Any userConfig = user.getTypedConfig().toBuilder().setTypeUrl(current.getTypedConfig().getTypeUrl()).build();
                builder.setTypedConfig(ProtoMerge.mergeAny(current.getTypedConfig(), userConfig)
                        .orElse(current.getTypedConfig()));
            }
            current = builder.build();
            log.applied(cp);
        }
        return current;
    }

    /** Istio's listenerMatch: by name and port, the port not checked on the virtual listeners below LISTENER. */
    static boolean listenerMatch(Listener listener, ConfigPatch cp) {
        EnvoyFilter.ListenerMatch match = cp.match().listener();
        if (match == null) {
            return true;
        }
        if (match.name() != null && !match.name().isEmpty() && !match.name().equals(listener.getName())) {
            return false;
        }
        if (cp.applyTo() != ConfigPatch.ApplyTo.LISTENER && isVirtual(listener)) {
            return true;
        }
        if (match.portNumber() != null && match.portNumber() != 0) {
            return listener.getAddress().hasSocketAddress()
                    && listener.getAddress().getSocketAddress().getPortValue() == match.portNumber();
        }
        return true;
    }

    private static boolean isVirtual(Listener listener) {
        return listener.getName().equals(VIRTUAL_INBOUND) || listener.getName().equals(VIRTUAL_OUTBOUND);
    }

    /** Istio's filterChainMatch; on the virtual listeners the listener port is the chain's destination port. */
    static boolean filterChainMatch(Listener listener, FilterChain chain, ConfigPatch cp) {
        EnvoyFilter.ListenerMatch match = cp.match().listener();
        if (match == null) {
            return true;
        }
        if (isVirtual(listener) && match.portNumber() != null && match.portNumber() > 0
                && chain.getFilterChainMatch().getDestinationPort().getValue() != match.portNumber()) {
            return false;
        }
        EnvoyFilter.FilterChainMatch fc = match.filterChain();
        if (fc == null) {
            return true;
        }
        if (present(fc.name()) && !fc.name().equals(chain.getName())) {
            return false;
        }
        if (present(fc.sni()) && !chain.getFilterChainMatch().getServerNamesList().contains(fc.sni())) {
            return false;
        }
        if (present(fc.transportProtocol()) && (!chain.hasFilterChainMatch()
                || !chain.getFilterChainMatch().getTransportProtocol().equals(fc.transportProtocol()))) {
            return false;
        }
        if (present(fc.applicationProtocols())) {
            if (!chain.hasFilterChainMatch()) {
                return false;
            }
            boolean all = Arrays.stream(fc.applicationProtocols().split(","))
                    .allMatch(p -> chain.getFilterChainMatch().getApplicationProtocolsList().contains(p));
            if (!all) {
                return false;
            }
        }
        if (present(fc.transportSocket()) && !chain.getTransportSocket().getName().equals(fc.transportSocket())) {
            return false;
        }
        if (fc.destinationPort() != null && fc.destinationPort() > 0) {
            return chain.getFilterChainMatch().hasDestinationPort()
                    && chain.getFilterChainMatch().getDestinationPort().getValue() == fc.destinationPort();
        }
        return true;
    }

    private static boolean hasNetworkFilterMatch(ConfigPatch cp) {
        EnvoyFilter.ListenerMatch match = cp.match().listener();
        return match != null && match.filterChain() != null && match.filterChain().filter() != null;
    }

    static boolean networkFilterMatch(Filter filter, ConfigPatch cp) {
        return !hasNetworkFilterMatch(cp) || filter.getName().equals(cp.match().listener().filterChain().filter().name());
    }

    private static boolean hasHttpFilterMatch(ConfigPatch cp) {
        return hasNetworkFilterMatch(cp) && cp.match().listener().filterChain().filter().subFilter() != null;
    }

    private static boolean httpFilterMatch(HttpFilter filter, ConfigPatch cp) {
        return !hasHttpFilterMatch(cp)
                || filter.getName().equals(cp.match().listener().filterChain().filter().subFilter().name());
    }

    private static boolean present(String value) {
        return value != null && !value.isEmpty();
    }
}
