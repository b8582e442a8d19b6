package dev.mizzen.pilot.testing;

import dev.mizzen.api.identity.SpiffeId;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.ProxyIdentity;
import dev.mizzen.pilot.model.SecretAccess;
import dev.mizzen.pilot.model.ProxyType;

import java.util.List;
import java.util.Map;

/**
 * Proxies as Istio's agent describes them, connected with a verified identity of their own namespace and
 * service account that may read that namespace's Secrets (as a gateway's service account is allowed to).
 */
public final class Proxies {
    private Proxies() {
    }

    private static ProxyIdentity verified(String namespace, String serviceAccount) {
        return ProxyIdentity.verified(SpiffeId.of("cluster.local", namespace, serviceAccount), SecretAccess.OWN_NAMESPACE);
    }

    public static Proxy grpc(String pod, String namespace, Map<String, String> labels) {
        return new Proxy("sidecar~10.1.0.99~" + pod + "." + namespace + "~" + namespace + ".svc.cluster.local",
                ProxyType.SIDECAR, List.of("10.1.0.99"), pod, namespace, namespace + ".svc.cluster.local", labels,
                "bookinfo-" + labels.getOrDefault("app", "client"), "grpc", Map.of("GENERATOR", "grpc"), verified(namespace, "bookinfo-" + labels.getOrDefault("app", "client")));
    }

    /** An Envoy sidecar of a pod. */
    public static Proxy sidecar(String pod, String ip, String namespace, Map<String, String> labels) {
        return new Proxy("sidecar~" + ip + "~" + pod + "." + namespace + "~" + namespace + ".svc.cluster.local",
                ProxyType.SIDECAR, List.of(ip), pod, namespace, namespace + ".svc.cluster.local", labels,
                "bookinfo-" + labels.getOrDefault("app", "client"), "", Map.of(),
                verified(namespace, "bookinfo-" + labels.getOrDefault("app", "client")));
    }

    /** An ingress gateway (router) pod. */
    public static Proxy gateway(String namespace, Map<String, String> labels) {
        return new Proxy("router~10.1.9.1~istio-ingressgateway-abc." + namespace + "~" + namespace + ".svc.cluster.local",
                ProxyType.ROUTER, List.of("10.1.9.1"), "istio-ingressgateway-abc", namespace,
                namespace + ".svc.cluster.local", labels, "istio-ingressgateway", "", Map.of(),
                verified(namespace, "istio-ingressgateway"));
    }
}
