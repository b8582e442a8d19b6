package dev.mizzen.istiod.debug;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.ConfigSnapshot;
import dev.mizzen.api.config.ConfigStore;
import dev.mizzen.api.config.SpecReader;
import dev.mizzen.pilot.model.Endpoint;
import dev.mizzen.pilot.model.Location;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.ServicePort;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The debug endpoints about what istiod knows of the mesh, with Istio's JSON shapes: {@code registryz} (Istio's
 * {@code []*model.Service}), {@code endpointz} and {@code endpointShardz} (hostname -> namespace -> shards, Istio's
 * {@code EndpointIndex.Shardz()}), {@code configz} (every Istio config object as a Kubernetes object) and
 * {@code mesh}. They read the push being served, so they show what proxies are given.
 */
final class RegistryViews {
    /** Istio's registry and cluster of Kubernetes services: its shard key is {@code provider/cluster}. */
    private static final String SHARD = "Kubernetes/Kubernetes";

    private final Supplier<Optional<PushContext>> push;
    private final ConfigStore configs;
    private final MeshSettings mesh;
    private final JsonMapper specs = SpecReader.mapper();

    RegistryViews(Supplier<Optional<PushContext>> push, ConfigStore configs, MeshSettings mesh) {
        this.push = push;
        this.configs = configs;
        this.mesh = mesh;
    }

    void register(Map<String, DebugEndpoint> endpoints) {
        endpoints.put("registryz", DebugEndpoint.of("Debug support for registry", this::registryz));
        endpoints.put("endpointz", DebugEndpoint.of("Obsolete, use endpointShardz", this::endpointz));
        endpoints.put("endpointShardz", DebugEndpoint.of("Info about the endpoint shards", this::endpointz));
        endpoints.put("configz", DebugEndpoint.of("Debug support for config", this::configz));
        endpoints.put("mesh", DebugEndpoint.of("Active mesh config", this::mesh));
    }

    private List<Service> services(DebugRequest request) {
        List<Service> all = push.get().map(PushContext::services).orElse(List.of());
        return request.callerNamespace().map(ns -> all.stream().filter(s -> s.namespace().equals(ns)).toList()).orElse(all);
    }

    private DebugResponse registryz(DebugRequest request) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Service s : services(request)) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("ServiceRegistry", s.location() == Location.MESH_EXTERNAL || s.selector().isEmpty() && s.name().isEmpty()
                    ? "External" : "Kubernetes");
            attributes.put("Name", s.name());
            attributes.put("Namespace", s.namespace());
            attributes.put("Labels", new TreeMap<>(s.labels()));
            attributes.put("ExportTo", new TreeMap<>(s.exportTo().stream().collect(
                    java.util.stream.Collectors.toMap(e -> e, e -> Map.of()))));
            attributes.put("LabelSelectors", new TreeMap<>(s.selector()));
            Map<String, Object> service = new LinkedHashMap<>();
            service.put("Attributes", attributes);
            List<Map<String, Object>> ports = new ArrayList<>();
            for (ServicePort p : s.ports()) {
                Map<String, Object> port = new LinkedHashMap<>();
                if (!p.name().isEmpty()) {
                    port.put("name", p.name());
                }
                port.put("port", p.port());
                port.put("protocol", protocol(p));
                ports.add(port);
            }
            if (!ports.isEmpty()) {
                service.put("ports", ports);
            }
            service.put("hostname", s.hostname());
            if (!s.clusterIp().isEmpty()) {
                service.put("clusterVIPs", Map.of("Addresses", Map.of("Kubernetes", List.of(s.clusterIp()))));
                service.put("defaultAddress", s.clusterIp());
            } else {
                service.put("defaultAddress", "0.0.0.0");
            }
            service.put("Resolution", resolution(s));
            service.put("MeshExternal", s.location() == Location.MESH_EXTERNAL);
            out.add(service);
        }
        return Json.write(out, request);
    }

    /** Istio's protocol names ({@code protocol.Instance}). */
    private static String protocol(ServicePort port) {
        return switch (port.protocol()) {
            case GRPC_WEB -> "GRPC-Web";
            case MONGO -> "Mongo";
            case MYSQL -> "MySQL";
            case REDIS -> "Redis";
            case UNSUPPORTED -> "UnsupportedProtocol";
            default -> port.protocol().name();
        };
    }

    private static String locality(Endpoint e) {
        return e.locality() == null || e.locality().region().isEmpty() ? "" : e.locality().toString();
    }

    /** Istio's Resolution values: 0 ClientSideLB, 1 DNSLB, 2 Passthrough, 3 DNSRoundRobinLB. */
    private static int resolution(Service s) {
        return switch (s.resolution()) {
            case CLIENT_SIDE_LB -> 0;
            case DNS_LB -> 1;
            case PASSTHROUGH -> 2;
            case DNS_ROUND_ROBIN_LB -> 3;
        };
    }

    private DebugResponse endpointz(DebugRequest request) {
        Optional<PushContext> context = push.get();
        Map<String, Object> out = new TreeMap<>();
        for (Service s : services(request)) {
            List<Endpoint> endpoints = context.map(c -> c.endpoints(s.hostname())).orElse(List.of());
            List<Map<String, Object>> shard = new ArrayList<>();
            TreeSet<String> accounts = new TreeSet<>();
            for (Endpoint e : endpoints) {
                for (ServicePort port : s.ports()) {
                    Integer target = e.ports().get(port.name());
                    if (target == null) {
                        continue;
                    }
                    Map<String, Object> ep = new LinkedHashMap<>();
                    ep.put("Labels", new TreeMap<>(e.labels()));
                    ep.put("Addresses", List.of(e.address()));
                    ep.put("ServicePortName", port.name());
                    ep.put("LegacyClusterPortKey", 0);
                    ep.put("ServiceAccount", e.serviceAccount().isEmpty() ? ""
                            : mesh.spiffeId(e.namespace(), e.serviceAccount()).replace("spiffe://", ""));
                    ep.put("Network", "");
                    ep.put("Locality", Map.of("Label", locality(e), "ClusterID", "Kubernetes"));
                    ep.put("EndpointPort", target);
                    ep.put("LbWeight", 0);
                    ep.put("TLSMode", e.labels().getOrDefault("security.istio.io/tlsMode", "disabled"));
                    ep.put("Namespace", e.namespace());
                    ep.put("WorkloadName", e.podName());
                    ep.put("HostName", "");
                    ep.put("SubDomain", "");
                    // Istio's HealthStatus: 1 Healthy, 2 UnHealthy
                    ep.put("HealthStatus", e.ready() ? 1 : 2);
                    ep.put("SendUnhealthyEndpoints", false);
                    ep.put("NodeName", "");
                    shard.add(ep);
                }
                if (!e.serviceAccount().isEmpty()) {
                    accounts.add(mesh.spiffeId(e.namespace(), e.serviceAccount()).replace("spiffe://", ""));
                }
            }
            Map<String, Object> shards = new LinkedHashMap<>();
            shards.put("Shards", Map.of(SHARD, shard));
            Map<String, Object> accountSet = new TreeMap<>();
            accounts.forEach(a -> accountSet.put(a, Map.of()));
            shards.put("ServiceAccounts", accountSet);
            @SuppressWarnings("unchecked")
            Map<String, Object> byNamespace = (Map<String, Object>) out.computeIfAbsent(s.hostname(), h -> new TreeMap<>());
            byNamespace.put(s.namespace(), shards);
        }
        return Json.write(out, request);
    }

    private DebugResponse configz(DebugRequest request) {
        ConfigSnapshot snapshot = configs.snapshot();
        List<Map<String, Object>> out = new ArrayList<>();
        for (ConfigKind<?> kind : ConfigKind.all()) {
            for (Config<?> config : snapshot.list(kind)) {
                if (request.callerNamespace().isPresent() && !request.callerNamespace().get().equals(config.namespace())) {
                    continue;
                }
                Map<String, Object> metadata = new LinkedHashMap<>();
                metadata.put("name", config.name());
                metadata.put("namespace", config.namespace());
                if (!config.meta().labels().isEmpty()) {
                    metadata.put("labels", new TreeMap<>(config.meta().labels()));
                }
                if (!config.meta().annotations().isEmpty()) {
                    metadata.put("annotations", new TreeMap<>(config.meta().annotations()));
                }
                metadata.put("resourceVersion", config.meta().resourceVersion());
                metadata.put("generation", config.meta().generation());
                metadata.put("creationTimestamp", Json.time(config.meta().creationTimestamp()));
                Map<String, Object> object = new LinkedHashMap<>();
                object.put("kind", kind.kind());
                object.put("apiVersion", kind.apiVersion(kind.preferredVersion()));
                object.put("metadata", metadata);
                object.put("spec", specs.valueToTree(config.spec()));
                out.add(object);
            }
        }
        return Json.write(out, request);
    }

    private DebugResponse mesh(DebugRequest request) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rootNamespace", mesh.rootNamespace());
        out.put("trustDomain", mesh.trustDomain());
        out.put("trustDomainAliases", mesh.trustDomainAliases());
        out.put("defaultConfig", Map.of("discoveryAddress", "istiod." + mesh.rootNamespace() + ".svc:15012"));
        return Json.write(out, request);
    }
}
