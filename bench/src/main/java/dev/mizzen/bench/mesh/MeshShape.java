package dev.mizzen.bench.mesh;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The shape of the simulated mesh and every name in it, computed, never stored: {@code services} services
 * with {@code endpoints} pods each, spread over {@code namespaces} namespaces; client workloads of
 * {@code replicas} proxies each, every workload using {@code servicesPerProxy} services. Service 0 is used
 * by every workload (a shared dependency, so a change to it touches every proxy); a tenth of the services
 * (those with an index divisible by 10, service 0 among them) carry a VirtualService and a DestinationRule
 * with subsets v1, v2, v3 by the pods' {@code version} label.
 */
public record MeshShape(int services, int endpoints, int namespaces, int servicesPerProxy, int replicas) {
    public static final int PORT = 8080;
    public static final String PORT_NAME = "grpc";
    public static final String DOMAIN_SUFFIX = "cluster.local";
    public static final List<String> SUBSETS = List.of("v1", "v2", "v3");
    /** Pod IPs from 10.1.0.0 on; endpoint changes use 10.128.0.0 on, so each change's address is new. */
    private static final int POD_IP_BASE = 1 << 16;
    private static final int CHANGE_IP_BASE = 128 << 16;

    public MeshShape {
        require(services >= 1 && services <= 60_000, "services must be in 1..60000");
        require(endpoints >= 1 && endpoints <= 1_000, "endpoints must be in 1..1000");
        require(namespaces >= 1 && namespaces <= services, "namespaces must be in 1..services");
        require(servicesPerProxy >= 1 && servicesPerProxy <= services, "services per proxy must be in 1..services");
        require(replicas >= 1, "replicas must be at least 1");
        require((long) services * endpoints < (CHANGE_IP_BASE - POD_IP_BASE), "too many pods for the address plan");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    public String serviceName(int service) {
        return "svc-" + service;
    }

    /** The n-th namespace, {@code ns-<n>}. */
    public String namespaceName(int n) {
        return "ns-" + n;
    }

    public String serviceNamespace(int service) {
        return "ns-" + (service % namespaces);
    }

    public String host(int service) {
        return serviceName(service) + "." + serviceNamespace(service) + ".svc." + DOMAIN_SUFFIX;
    }

    /** The {@code xds:///} authority a client uses for the service, {@code svc-7.ns-7:8080}. */
    public String listenerName(int service) {
        return serviceName(service) + "." + serviceNamespace(service) + ":" + PORT;
    }

    /** The RDS name istiod gives the service's route config. */
    public String routeName(int service) {
        return clusterName(service, "");
    }

    public String clusterName(int service, String subset) {
        return "outbound|" + PORT + "|" + subset + "|" + host(service);
    }

    /** From 10.96.0.1 up: a service CIDR's network address is never a Service's, and an API server refuses it. */
    public String clusterIp(int service) {
        int offset = service + 1;
        return "10.96." + (offset >> 8) + "." + (offset & 0xff);
    }

    /** True for the services with a VirtualService and a DestinationRule. */
    public boolean hasRules(int service) {
        return service % 10 == 0;
    }

    public String podName(int service, int endpoint) {
        return serviceName(service) + "-" + endpoint;
    }

    public String version(int endpoint) {
        return SUBSETS.get(endpoint % SUBSETS.size());
    }

    public String podIp(int service, int endpoint) {
        return ip(POD_IP_BASE + service * endpoints + endpoint);
    }

    /** The address the {@code change}-th endpoint change gives an endpoint: never used before in this run. */
    public String changeIp(int change) {
        return ip(CHANGE_IP_BASE + change);
    }

    private static String ip(int offset) {
        return "10." + ((offset >> 16) & 0xff) + "." + ((offset >> 8) & 0xff) + "." + (offset & 0xff);
    }

    // --- client workloads

    public int workloadOf(int proxy) {
        return proxy / replicas;
    }

    public String workloadName(int workload) {
        return "client-" + workload;
    }

    public String workloadNamespace(int workload) {
        return "ns-" + (workload % namespaces);
    }

    /** The services a workload calls: service 0, then {@code servicesPerProxy - 1} others spread over all. */
    public Set<Integer> servicesOf(int workload) {
        Set<Integer> out = new LinkedHashSet<>();
        out.add(0);
        int others = servicesPerProxy - 1;
        for (int i = 0; i < others; i++) {
            out.add(1 + (int) (((long) workload * others + i) % (services - 1)));
        }
        return out;
    }

    /** The service whose pods a workload's sidecars belong to (sidecar mode): service {@code workload mod services}. */
    public int servedService(int workload) {
        return workload % services;
    }

    public String proxyIp(int proxy) {
        return "10.200." + ((proxy >> 8) & 0xff) + "." + (proxy & 0xff);
    }
}
