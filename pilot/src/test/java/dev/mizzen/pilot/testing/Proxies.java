package dev.mizzen.pilot.testing;

import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.ProxyType;

import java.util.List;
import java.util.Map;

/** Proxies as Istio's agent describes them. */
public final class Proxies {
    private Proxies() {
    }

    public static Proxy grpc(String pod, String namespace, Map<String, String> labels) {
        return new Proxy("sidecar~10.1.0.99~" + pod + "." + namespace + "~" + namespace + ".svc.cluster.local",
                ProxyType.SIDECAR, List.of("10.1.0.99"), pod, namespace, namespace + ".svc.cluster.local", labels,
                "bookinfo-" + labels.getOrDefault("app", "client"), "grpc", Map.of("GENERATOR", "grpc"));
    }

    /** An Envoy sidecar of a pod. */
    public static Proxy sidecar(String pod, String ip, String namespace, Map<String, String> labels) {
        return new Proxy("sidecar~" + ip + "~" + pod + "." + namespace + "~" + namespace + ".svc.cluster.local",
                ProxyType.SIDECAR, List.of(ip), pod, namespace, namespace + ".svc.cluster.local", labels,
                "bookinfo-" + labels.getOrDefault("app", "client"), "", Map.of());
    }

    /** An ingress gateway (router) pod. */
    public static Proxy gateway(String namespace, Map<String, String> labels) {
        return new Proxy("router~10.1.9.1~istio-ingressgateway-abc." + namespace + "~" + namespace + ".svc.cluster.local",
                ProxyType.ROUTER, List.of("10.1.9.1"), "istio-ingressgateway-abc", namespace,
                namespace + ".svc.cluster.local", labels, "istio-ingressgateway", "", Map.of());
    }
}
