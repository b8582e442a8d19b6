package dev.mizzen.it;

import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.IstiodSettings;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

/**
 * Mizzen's istiod, run in the test JVM as a cluster runs it: with the token of its own ServiceAccount ({@code
 * istio-system/istiod}, bound only to the ClusterRole {@code install/kubernetes} ships), never as an admin, so a
 * permission the manifest lacks fails here as it would in a cluster. Its ports are on loopback; the webhook port
 * is fixed up front, because the apiserver must be told where the Service {@code istiod} is before it starts.
 */
public final class ClusterIstiod {
    /** How long istiod's own token lives: longer than any test class. */
    private static final long TOKEN_SECONDS = Duration.ofHours(2).toSeconds();

    private ClusterIstiod() {}

    /** A port free now on 127.0.0.1, for a server started later (a race only with other programs binding 0). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The flag that makes the apiserver reach the Service istio-system/istiod at our webhook port. */
    public static String serviceAddressFlag(int webhookPort) {
        return "--service-address=" + MizzenInstall.NAMESPACE + "/istiod=127.0.0.1:" + webhookPort;
    }

    /** Istio's settings (cluster.local, istio-system, the serving certificate for istiod.istio-system.svc), on loopback. */
    public static IstiodSettings settings(IstiodSettings.Ports ports) {
        IstiodSettings defaults = IstiodSettings.defaults();
        return new IstiodSettings(ports, IstiodSettings.LOOPBACK, defaults.namespace(), defaults.mesh(),
                defaults.debounce(), defaults.citadel(), defaults.xdsLimits(), defaults.election(),
                defaults.workloadEntryGracePeriod(), defaults.status());
    }

    /** A client that is the ServiceAccount {@code namespace/name}: a token from TokenRequest and the cluster CA. */
    public static KubernetesClient clientAs(KubeCluster cluster, String namespace, String name) {
        String token = token(cluster, namespace, name, List.of(), TOKEN_SECONDS);
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(cluster.server())
                .withCaCertFile(cluster.caFile().toString())
                .withOauthToken(token)
                .withNamespace(namespace)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** A token of a ServiceAccount from the apiserver's TokenRequest; no audiences: the apiserver's own. */
    public static String token(KubeCluster cluster, String namespace, String name, List<String> audiences, long seconds) {
        return cluster.client().serviceAccounts().inNamespace(namespace).withName(name)
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec().withAudiences(audiences).withExpirationSeconds(seconds).endSpec()
                        .build())
                .getStatus().getToken();
    }

    /** Starts istiod as its ServiceAccount; the caller closes both the server and the client. */
    public static IstiodServer start(KubernetesClient asIstiod, IstiodSettings.Ports ports) {
        return IstiodServer.start(settings(ports), asIstiod);
    }
}
