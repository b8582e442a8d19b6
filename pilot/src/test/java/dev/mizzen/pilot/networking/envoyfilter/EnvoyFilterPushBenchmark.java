package dev.mizzen.pilot.networking.envoyfilter;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigSnapshot;
import dev.mizzen.pilot.model.Endpoint;
import dev.mizzen.pilot.model.Locality;
import dev.mizzen.pilot.model.Location;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.model.Protocol;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.Resolution;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.ServicePort;
import dev.mizzen.pilot.model.TargetPort;
import dev.mizzen.pilot.networking.envoy.EnvoyGenerator;
import dev.mizzen.pilot.serviceregistry.RegistrySnapshot;
import dev.mizzen.pilot.testing.IstioConfigs;
import dev.mizzen.pilot.testing.Proxies;
import dev.mizzen.pilot.xds.PushSnapshot;
import dev.mizzen.pilot.xds.TypeUrls;
import dev.mizzen.pilot.xds.XdsResource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Not a test: prints what EnvoyFilters cost a full push (patches apply per proxy after the cache, then Envoy's proto
 * validation checks every patched resource): 20 namespaces of 50 workloads, one Service each; with a mesh-wide Lua
 * HTTP filter inserted before the router on every inbound listener, one namespace-wide CLUSTER merge (connect
 * timeout on every outbound cluster) per namespace, and one workload-selected inbound connection manager merge (idle
 * timeout) per namespace (41
 * EnvoyFilters), against none: the push context, LDS of one sidecar per workload, CDS of 5 sidecars per namespace
 * (each sees the 1,000 services). Run as {@code SecurityPushBenchmark} with this class name.
 */
public final class EnvoyFilterPushBenchmark {
    private EnvoyFilterPushBenchmark() {
    }

    static List<Config<?>> filters() {
        List<Config<?>> out = new ArrayList<>();
        out.add(IstioConfigs.parse("""
                apiVersion: networking.istio.io/v1alpha3
                kind: EnvoyFilter
                metadata: {name: lua-everywhere, namespace: istio-system}
                spec:
                  configPatches:
                  - applyTo: HTTP_FILTER
                    match:
                      context: SIDECAR_INBOUND
                      listener: {filterChain: {filter: {name: envoy.filters.network.http_connection_manager,
                                                        subFilter: {name: envoy.filters.http.router}}}}
                    patch:
                      operation: INSERT_BEFORE
                      value:
                        name: envoy.lua
                        typed_config:
                          "@type": type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua
                          default_source_code: {inline_string: "function envoy_on_request(h) h:headers():add('x-mesh', '1') end"}
                """, "istio-system", Instant.EPOCH));
        for (int ns = 0; ns < 20; ns++) {
            out.add(IstioConfigs.parse("""
                    apiVersion: networking.istio.io/v1alpha3
                    kind: EnvoyFilter
                    metadata: {name: timeouts, namespace: ns-%d}
                    spec:
                      configPatches:
                      - applyTo: CLUSTER
                        match: {context: SIDECAR_OUTBOUND}
                        patch: {operation: MERGE, value: {connect_timeout: 3s}}
                    """.formatted(ns), "ns-" + ns, Instant.EPOCH));
            out.add(IstioConfigs.parse("""
                    apiVersion: networking.istio.io/v1alpha3
                    kind: EnvoyFilter
                    metadata: {name: idle-timeout, namespace: ns-%d}
                    spec:
                      workloadSelector: {labels: {app: app-0}}
                      configPatches:
                      - applyTo: NETWORK_FILTER
                        match:
                          context: SIDECAR_INBOUND
                          listener: {filterChain: {filter: {name: envoy.filters.network.http_connection_manager}}}
                        patch:
                          operation: MERGE
                          value:
                            typed_config:
                              "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                              common_http_protocol_options: {idle_timeout: 30s}
                    """.formatted(ns), "ns-" + ns, Instant.EPOCH));
        }
        return out;
    }

    public static void main(String[] args) {
        Map<String, Service> services = new HashMap<>();
        Map<String, List<Endpoint>> endpoints = new HashMap<>();
        List<Proxy> proxies = new ArrayList<>();
        List<Proxy> cdsProxies = new ArrayList<>();
        for (int ns = 0; ns < 20; ns++) {
            for (int w = 0; w < 50; w++) {
                String namespace = "ns-" + ns;
                String app = "app-" + w;
                String host = app + "." + namespace + ".svc.cluster.local";
                Map<String, String> labels = Map.of("app", app, "version", "v1");
                services.put(host, new Service(host, namespace, app, "10.96." + ns + "." + w,
                        List.of(new ServicePort("http", 8080, TargetPort.of(8080), Protocol.HTTP)),
                        Map.of(), Map.of("app", app), Set.of(), Resolution.CLIENT_SIDE_LB, Location.MESH_INTERNAL));
                String ip = "10.244." + ns + "." + w;
                endpoints.put(host, List.of(new Endpoint(ip, Map.of("http", 8080), app + "-0", namespace, labels, app,
                        true, Locality.UNKNOWN)));
                Proxy proxy = Proxies.sidecar(app + "-0", ip, namespace, labels);
                proxies.add(proxy);
                if (w < 5) {
                    cdsProxies.add(proxy);
                }
            }
        }
        RegistrySnapshot registry = new RegistrySnapshot(services, endpoints, Map.of());
        List<Config<?>> filters = filters();
        for (int round = 0; round < 4; round++) {
            Figures without = push(registry, ConfigSnapshot.EMPTY, proxies, cdsProxies);
            Figures with = push(registry, ConfigSnapshot.of(filters), proxies, cdsProxies);
            System.out.printf("round %d: without EnvoyFilters: context %.1f ms, LDS of %,d workloads %.1f ms (%,d bytes),"
                            + " CDS of %,d %.1f ms (%,d bytes); with %d: context %.1f ms, LDS %.1f ms (%,d bytes),"
                            + " CDS %.1f ms (%,d bytes)%n",
                    round, without.contextMillis, proxies.size(), without.ldsMillis, without.ldsBytes, cdsProxies.size(),
                    without.cdsMillis, without.cdsBytes, filters.size(), with.contextMillis, with.ldsMillis,
                    with.ldsBytes, with.cdsMillis, with.cdsBytes);
        }
    }

    private record Figures(double contextMillis, double ldsMillis, long ldsBytes, double cdsMillis, long cdsBytes) {
    }

    private static Figures push(RegistrySnapshot registry, ConfigSnapshot configs, List<Proxy> proxies,
                                List<Proxy> cdsProxies) {
        long t0 = System.nanoTime();
        PushContext context = PushContext.build(1, MeshSettings.DEFAULT, registry, configs);
        long t1 = System.nanoTime();
        PushSnapshot push = PushSnapshot.fresh(context);
        EnvoyGenerator generator = new EnvoyGenerator();
        long lds = 0;
        for (Proxy proxy : proxies) {
            for (XdsResource r : generator.generate(proxy, push, TypeUrls.LISTENER, Set.of())) {
                lds += r.body().getValue().size();
            }
        }
        long t2 = System.nanoTime();
        long cds = 0;
        for (Proxy proxy : cdsProxies) {
            for (XdsResource r : generator.generate(proxy, push, TypeUrls.CLUSTER, Set.of())) {
                cds += r.body().getValue().size();
            }
        }
        long t3 = System.nanoTime();
        return new Figures((t1 - t0) / 1e6, (t2 - t1) / 1e6, lds, (t3 - t2) / 1e6, cds);
    }
}
