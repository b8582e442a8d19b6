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
}
