package dev.mizzen.bench.jmh;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.ConfigMeta;
import dev.mizzen.api.config.ConfigSnapshot;
import dev.mizzen.api.config.SpecReader;
import dev.mizzen.bench.mesh.MeshObjects;
import dev.mizzen.bench.mesh.MeshShape;
import dev.mizzen.pilot.model.Endpoint;
import dev.mizzen.pilot.model.Location;
import dev.mizzen.pilot.model.Locality;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.model.Protocol;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.ProxyIdentity;
import dev.mizzen.pilot.model.ProxyType;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.Resolution;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.ServicePort;
import dev.mizzen.pilot.model.TargetPort;
import dev.mizzen.pilot.serviceregistry.RegistrySnapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The load tool's mesh as pilot's model holds it, built in memory without an apiserver: the same
 * {@link MeshShape} and the same VirtualService and DestinationRule specs, read by galley's SpecReader.
 * Immutable once built.
 */
public final class BenchModel {
    private final MeshShape shape;
    private final RegistrySnapshot registry;
    private final ConfigSnapshot configs;

    private BenchModel(MeshShape shape, RegistrySnapshot registry, ConfigSnapshot configs) {
        this.shape = shape;
        this.registry = registry;
        this.configs = configs;
    }

    public static BenchModel of(MeshShape shape) {
        MeshObjects objects = new MeshObjects(shape);
        Map<String, Service> services = new HashMap<>();
        Map<String, List<Endpoint>> endpoints = new HashMap<>();
        List<Config<?>> configs = new ArrayList<>();
        for (int s = 0; s < shape.services(); s++) {
            String ns = shape.serviceNamespace(s);
            String name = shape.serviceName(s);
            services.put(shape.host(s), new Service(shape.host(s), ns, name, shape.clusterIp(s),
                    List.of(new ServicePort(MeshShape.PORT_NAME, MeshShape.PORT, TargetPort.of(MeshShape.PORT), Protocol.GRPC)),
                    Map.of("app", name), Map.of("app", name), Set.of(), Resolution.CLIENT_SIDE_LB, Location.MESH_INTERNAL));
            List<Endpoint> list = new ArrayList<>();
            for (int e = 0; e < shape.endpoints(); e++) {
                list.add(new Endpoint(shape.podIp(s, e), Map.of(MeshShape.PORT_NAME, MeshShape.PORT), shape.podName(s, e),
                        ns, Map.of("app", name, "version", shape.version(e)), name, true, Locality.UNKNOWN));
            }
            endpoints.put(shape.host(s), List.copyOf(list));
            if (shape.hasRules(s)) {
                configs.add(config(ConfigKind.VIRTUAL_SERVICE, ns, name, objects.virtualServiceSpec(s, 0)));
                configs.add(config(ConfigKind.DESTINATION_RULE, ns, name, objects.destinationRuleSpec(s)));
            }
        }
        return new BenchModel(shape, new RegistrySnapshot(services, endpoints, Map.of()), ConfigSnapshot.of(configs));
    }

    private static <S> Config<S> config(ConfigKind<S> kind, String namespace, String name, Map<String, Object> spec) {
        return new Config<>(ConfigKey.of(kind, namespace, name), ConfigMeta.empty(), SpecReader.read(kind, spec));
    }

    public MeshShape shape() {
        return shape;
    }

    public PushContext pushContext(long version) {
        return PushContext.build(version, MeshSettings.DEFAULT, registry, configs);
    }

    /** A proxyless client of workload {@code workload}, as istiod parses its node. */
    public Proxy grpcProxy(int workload) {
        String ns = shape.workloadNamespace(workload);
        String app = shape.workloadName(workload);
        return new Proxy("sidecar~10.200.0.1~" + app + "-0." + ns + "~" + ns + ".svc." + MeshShape.DOMAIN_SUFFIX,
                ProxyType.SIDECAR, List.of("10.200.0.1"), app + "-0", ns, ns + ".svc." + MeshShape.DOMAIN_SUFFIX,
                Map.of("app", app, "version", "v1"), app, "grpc", Map.of("GENERATOR", "grpc"), ProxyIdentity.ANONYMOUS);
    }
}
