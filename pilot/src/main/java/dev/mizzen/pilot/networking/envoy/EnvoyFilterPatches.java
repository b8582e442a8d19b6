package dev.mizzen.pilot.networking.envoy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.mizzen.api.logging.LogThrottle;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.ProxyType;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.networking.envoyfilter.ClusterPatcher;
import dev.mizzen.pilot.networking.envoyfilter.ListenerPatcher;
import dev.mizzen.pilot.networking.envoyfilter.PatchContext;
import dev.mizzen.pilot.networking.envoyfilter.PatchLog;
import dev.mizzen.pilot.networking.envoyfilter.ProxyPatches;
import dev.mizzen.pilot.networking.envoyfilter.RoutePatcher;
import dev.mizzen.pilot.networking.pgv.PgvReport;
import dev.mizzen.pilot.networking.pgv.PgvValidator;
import dev.mizzen.pilot.xds.PushSnapshot;
import dev.mizzen.pilot.xds.TypeUrls;
import dev.mizzen.pilot.xds.XdsCache;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Applies a proxy's EnvoyFilter patches to what the generator made for it, after the cache: proxies that no
 * filter touches keep sharing the cached resources, and patched responses are cached per proxy group, set of
 * patches and names. Every patched resource is checked against Envoy's proto validation rules before it is
 * sent; when one fails, nothing of that type is sent to the proxy (it keeps its last good config, as Envoy
 * would after a NACK), the EnvoyFilters that applied are named in a throttled log line and counted in
 * {@code pilot_envoy_filter_errors_total{name,type}}. Thread-safe: the validator is stateless, the counters
 * and the log throttle are.
 */
final class EnvoyFilterPatches {
    private static final Logger LOG = LoggerFactory.getLogger(EnvoyFilterPatches.class);
    private static final String VIRTUAL_INBOUND = "virtualInbound";

    private final MeterRegistry meters;
    private final LogThrottle rejectLog = new LogThrottle(5, Duration.ofSeconds(10));

    EnvoyFilterPatches(MeterRegistry meters) {
        this.meters = meters;
    }

    EnvoyFilterPatches() {
        this(new SimpleMeterRegistry());
    }

    private record Scope(Object group, ProxyPatches patches, Set<String> names) {
    }

    /** The patched resources, or null: a patch made one invalid and nothing is to be sent. */
    List<XdsResource> apply(Proxy proxy, PushSnapshot push, String typeUrl, Set<String> names,
                            List<XdsResource> generated) {
        if (!patchable(typeUrl)) {
            return generated;
        }
        ProxyPatches patches = push.context().envoyFilters(proxy);
        if (patches.isEmpty()) {
            return generated;
        }
        XdsCache.Key key = new XdsCache.Key(typeUrl, "envoyfilter", new Scope(proxy.group(), patches, Set.copyOf(names)));
        boolean[] rejected = {false};
        List<XdsResource> out = push.cache().getResponse(key, () -> {
            Outcome outcome = patch(proxy, push, typeUrl, names, generated, patches);
            rejected[0] = outcome.rejection().isPresent();
            // a rejection is not remembered: the next request tries again (and is counted again)
            return new XdsCache.Response(outcome.resources(), rejected[0]
                    ? XdsCache.Sharing.THIS_REQUEST_ONLY : XdsCache.Sharing.SHARED);
        });
        return rejected[0] ? null : out;
    }

    private record Outcome(List<XdsResource> resources, Optional<String> rejection) {
    }

    private static boolean patchable(String typeUrl) {
        return typeUrl.equals(TypeUrls.CLUSTER) || typeUrl.equals(TypeUrls.LISTENER) || typeUrl.equals(TypeUrls.ROUTE);
    }

    private Outcome patch(Proxy proxy, PushSnapshot push, String typeUrl, Set<String> names,
                          List<XdsResource> generated, ProxyPatches patches) {
        PatchLog log = new PatchLog();
        boolean router = proxy.type() == ProxyType.ROUTER;
        List<? extends Message> patched;
        switch (typeUrl) {
            case TypeUrls.CLUSTER -> {
                List<String> inboundHosts = push.context().servicesOfWorkload(proxy.namespace(), proxy.labels()).stream()
                        .map(Service::hostname).toList();
                List<Cluster> clusters = ClusterPatcher.apply(patches, unpack(generated, Cluster.class),
                        c -> router ? PatchContext.GATEWAY : c.getName().startsWith("inbound|")
                                ? PatchContext.SIDECAR_INBOUND : PatchContext.SIDECAR_OUTBOUND,
                        inboundHosts, router ? PatchContext.GATEWAY : PatchContext.SIDECAR_OUTBOUND, log);
                patched = wanted(clusters, names, Cluster::getName);
            }
            case TypeUrls.LISTENER -> {
                List<Listener> all = unpack(generated, Listener.class);
                List<Listener> out;
                if (router) {
                    out = ListenerPatcher.apply(patches, all, PatchContext.GATEWAY, log);
                } else {
                    out = new ArrayList<>(ListenerPatcher.apply(patches,
                            all.stream().filter(l -> !l.getName().equals(VIRTUAL_INBOUND)).toList(),
                            PatchContext.SIDECAR_OUTBOUND, log));
                    out.addAll(ListenerPatcher.apply(patches,
                            all.stream().filter(l -> l.getName().equals(VIRTUAL_INBOUND)).toList(),
                            PatchContext.SIDECAR_INBOUND, log));
                }
                patched = wanted(out, names, Listener::getName);
            }
            default -> patched = unpack(generated, RouteConfiguration.class).stream()
                    .map(rc -> RoutePatcher.apply(patches, rc, router ? PatchContext.GATEWAY
                            : PatchContext.SIDECAR_OUTBOUND, log))
                    .toList();
        }
        if (log.filters().isEmpty()) {
            return new Outcome(generated, Optional.empty());
        }
        List<XdsResource> out = new ArrayList<>(patched.size());
        PgvReport report = PgvReport.empty();
        for (Message message : patched) {
            XdsResource resource = XdsResource.of(nameOf(message), message);
            if (!generated.contains(resource)) {
                report = report.merge(PgvValidator.forEnvoy().validate(message));
            }
            out.add(resource);
        }
        if (!report.valid()) {
            reject(proxy, typeUrl, log, report);
            return new Outcome(List.of(), Optional.of(report.toString()));
        }
        return new Outcome(out, Optional.empty());
    }

    private void reject(Proxy proxy, String typeUrl, PatchLog log, PgvReport report) {
        for (String filter : log.filters()) {
            Counter.builder("pilot_envoy_filter_errors_total")
                    .description("EnvoyFilter patches that made a resource fail Envoy's validation (nothing was sent)")
                    .tag("name", filter).tag("type", TypeUrls.shortName(typeUrl)).register(meters).increment();
        }
        rejectLog.admit().ifPresent(dropped -> LOG.warn("EnvoyFilter {} made {} of {} invalid, not sent (it keeps its "
                + "last config): {}{}", String.join(", ", log.filters()), TypeUrls.shortName(typeUrl), proxy.id(),
                report.violations().stream().limit(3).toList(), LogThrottle.dropped(dropped)));
    }

    private static <M extends Message> List<M> wanted(List<M> all, Set<String> names,
                                                      java.util.function.Function<M, String> name) {
        if (names.isEmpty() || names.contains("*")) {
            return all;
        }
        return all.stream().filter(m -> names.contains(name.apply(m))).toList();
    }

    private static String nameOf(Message message) {
        if (message instanceof Cluster c) {
            return c.getName();
        }
        if (message instanceof Listener l) {
            return l.getName();
        }
        return ((RouteConfiguration) message).getName();
    }

    private static <M extends Message> List<M> unpack(List<XdsResource> resources, Class<M> type) {
        List<M> out = new ArrayList<>(resources.size());
        for (XdsResource resource : resources) {
            try {
                out.add(resource.body().unpack(type));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("cannot read back " + resource.name(), e);
            }
        }
        return out;
    }
}
