package dev.mizzen.it;

import dev.mizzen.istiod.IstiodServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Connections to istiod's authenticated port as a workload in the cluster makes them. */
public final class XdsConnections {
    /** The name istiod's serving certificate has, which Istio's agents check. */
    public static final String ISTIOD_SAN = "istiod.istio-system.svc";
    public static final String ROOT_CONFIG_MAP = "istio-ca-root-cert";

    private XdsConnections() {}

    /** The mesh root a pod of {@code namespace} mounts: istiod's publication in the apiserver, not istiod's memory. */
    public static String publishedRoot(KubernetesClient admin, String namespace) {
        ConfigMap root = admin.configMaps().inNamespace(namespace).withName(ROOT_CONFIG_MAP).get();
        if (root == null || root.getData() == null || !root.getData().containsKey("root-cert.pem")) {
            throw new IllegalStateException("no " + ROOT_CONFIG_MAP + " in " + namespace);
        }
        return root.getData().get("root-cert.pem");
    }

    /** TLS to 127.0.0.1:port, trusting {@code rootPem} and checking the server's name is istiod.istio-system.svc. */
    public static ManagedChannel secureChannel(int port, String rootPem) {
        try {
            return Grpc.newChannelBuilderForAddress("127.0.0.1", port,
                            TlsChannelCredentials.newBuilder()
                                    .trustManager(new ByteArrayInputStream(rootPem.getBytes(StandardCharsets.UTF_8)))
                                    .build())
                    .overrideAuthority(ISTIOD_SAN)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A proxyless workload's ADS stream on istiod's authenticated port: a token for audience istio-ca of the
     * workload's ServiceAccount, from the apiserver's TokenRequest, as a projected token would be.
     */
    public static ProxylessAds proxyless(KubeCluster cluster, IstiodServer istiod, String namespace,
                                         String serviceAccount, String target) {
        return proxyless(cluster, istiod.secureXdsPort(), namespace, serviceAccount, target);
    }

    public static ProxylessAds proxyless(KubeCluster cluster, int securePort, String namespace, String serviceAccount,
                                         String target) {
        String token = ClusterIstiod.token(cluster, namespace, serviceAccount, List.of("istio-ca"), 3600);
        ManagedChannel channel = secureChannel(securePort, publishedRoot(cluster.client(), namespace));
        return new ProxylessAds(channel,
                ProxylessAds.node("10.244.255.1", serviceAccount + "-client", namespace, serviceAccount,
                        java.util.Map.of("app", serviceAccount + "-client")),
                token, java.util.Set.of(target));
    }
}
