package dev.mizzen.pilot.model;

import java.util.List;
import java.util.Map;

/**
 * A connected proxy as its node id and metadata describe it (Istio's agent conventions).
 *
 * @param id        the full node id, {@code sidecar~<ip>~<pod>.<ns>~<ns>.svc.cluster.local}
 * @param dnsDomain the last part of the id, {@code <ns>.svc.cluster.local}
 * @param generator {@code grpc} for proxyless gRPC clients, empty for Envoy
 * @param identity  what the proxy proved when it connected; its claims above were checked against it
 */
public record Proxy(String id, ProxyType type, List<String> ipAddresses, String podName, String namespace,
                    String dnsDomain, Map<String, String> labels, String serviceAccount, String generator,
                    Map<String, String> metadata, ProxyIdentity identity) {
    public Proxy {
        ipAddresses = List.copyOf(ipAddresses);
        labels = Map.copyOf(labels);
        metadata = Map.copyOf(metadata);
        serviceAccount = serviceAccount == null ? "" : serviceAccount;
        generator = generator == null ? "" : generator;
        java.util.Objects.requireNonNull(identity, "identity");
    }

    /** The same proxy with what it proved when it connected. */
    public Proxy withIdentity(ProxyIdentity proven) {
        String account = serviceAccount.isEmpty() ? proven.verified().map(id -> id.serviceAccount()).orElse("") : serviceAccount;
        return new Proxy(id, type, ipAddresses, podName, namespace, dnsDomain, labels, account, generator, metadata, proven);
    }

    public boolean isProxylessGrpc() {
        return generator.equals("grpc");
    }

    /** What this proxy's config depends on besides the push: proxies with equal groups get equal config. */
    public ProxyGroup group() {
        return new ProxyGroup(type, generator, namespace, dnsDomain, labels, identity.secrets());
    }
}
