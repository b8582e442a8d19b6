package dev.mizzen.pilot.security.authz;

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
import dev.mizzen.pilot.testing.Proxies;
import dev.mizzen.pilot.xds.PushSnapshot;
import dev.mizzen.pilot.xds.TypeUrls;
import dev.mizzen.pilot.xds.XdsResource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Not a test: prints what a full push costs with 1,000 AuthorizationPolicies over 1,000 workloads, against the
 * same mesh without them: building the push context, then generating the listeners (LDS) of one sidecar per
 * workload, each workload its own proxy group (the worst case: no two workloads share listeners). Same mesh as
 * {@link AuthzBenchmark}: 20 namespaces of 50 workloads, one Service each. Run:
 * <pre>
 * mvn -B -o -q -pl pilot test-compile &amp;&amp; java -cp "pilot/target/test-classes:pilot/target/classes:$(mvn -B -o -q -pl pilot \
 *   dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)" \
 *   dev.mizzen.pilot.security.authz.SecurityPushBenchmark
 * </pre>
 */
public final class SecurityPushBenchmark {
    private SecurityPushBenchmark() {
    }

    public static void main(String[] args) {
        Map<String, Service> services = new HashMap<>();
        Map<String, List<Endpoint>> endpoints = new HashMap<>();
        List<Proxy> proxies = new ArrayList<>();
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
                proxies.add(Proxies.sidecar(app + "-0", ip, namespace, labels));
            }
        }
        RegistrySnapshot registry = new RegistrySnapshot(services, endpoints, Map.of());
        List<Config<?>> policies = new ArrayList<>(AuthzBenchmark.policies());
        for (int round = 0; round < 4; round++) {
            Figures without = push(registry, ConfigSnapshot.EMPTY, proxies);
            Figures with = push(registry, ConfigSnapshot.of(policies), proxies);
            System.out.printf("round %d: without policies: context %.1f ms, LDS of %,d workloads %.1f ms, %,d bytes;"
                            + " with %,d policies: context %.1f ms, LDS %.1f ms, %,d bytes (+%,d bytes, +%.1f ms)%n",
                    round, without.contextMillis, proxies.size(), without.ldsMillis, without.bytes, policies.size(),
                    with.contextMillis, with.ldsMillis, with.bytes, with.bytes - without.bytes,
                    with.contextMillis + with.ldsMillis - without.contextMillis - without.ldsMillis);
        }
    }

    private record Figures(double contextMillis, double ldsMillis, long bytes) {
    }

    private static Figures push(RegistrySnapshot registry, ConfigSnapshot configs,
                                List<Proxy> proxies) {
        long t0 = System.nanoTime();
        PushContext context = PushContext.build(1, MeshSettings.DEFAULT, registry, configs);
        long t1 = System.nanoTime();
        PushSnapshot push = PushSnapshot.fresh(context);
        EnvoyGenerator generator = new EnvoyGenerator();
        long bytes = 0;
        for (Proxy proxy : proxies) {
            for (XdsResource r : generator.generate(proxy, push, TypeUrls.LISTENER, Set.of())) {
                bytes += r.body().getValue().size();
            }
        }
        long t2 = System.nanoTime();
        return new Figures((t1 - t0) / 1e6, (t2 - t1) / 1e6, bytes);
    }
}
