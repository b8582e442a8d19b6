package dev.mizzen.istiod;

import dev.mizzen.istiod.cli.UserError;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Before istiod starts its informers against a cluster: is there a kubeconfig at all, and does the cluster
 * answer? Without these checks a missing cluster shows up as informers retrying for ever; with them the user
 * reads one line that says what is missing and that {@code --local} runs without a cluster.
 */
final class ClusterProbe {
    static final String LOCAL_HINT = "to run without a cluster, use --local DIR";
    private static final Path IN_CLUSTER_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    private ClusterProbe() {
    }

    /** Fails unless $KUBECONFIG, ~/.kube/config or a pod's service account gives a cluster to talk to. */
    static void requireSomeConfig() {
        String env = System.getenv("KUBECONFIG");
        if (env != null && !env.isBlank()) {
            for (String file : env.split(java.io.File.pathSeparator)) {
                if (!file.isBlank() && Files.isRegularFile(Path.of(file))) {
                    return;
                }
            }
            throw new UserError("no kubeconfig: $KUBECONFIG names no existing file (" + env + "); " + LOCAL_HINT);
        }
        if (Files.isRegularFile(Path.of(System.getProperty("user.home"), ".kube", "config"))
                || System.getenv("KUBERNETES_SERVICE_HOST") != null && Files.isRegularFile(IN_CLUSTER_TOKEN)) {
            return;
        }
        throw new UserError("no kubeconfig: none given with --kubeconfig, $KUBECONFIG is not set, ~/.kube/config does"
                + " not exist and this is not a pod; " + LOCAL_HINT);
    }

    /** Asks the API server its version once, without retries; an answer of any status means it is reachable. */
    static void requireReachable(Config config) {
        Config once = new ConfigBuilder(config).withRequestRetryBackoffLimit(0).withConnectionTimeout(5_000)
                .withRequestTimeout(10_000).build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(once).build()) {
            client.getKubernetesVersion();
        } catch (KubernetesClientException e) {
            if (e.getCode() > 0) {
                return;
            }
            throw new UserError("no Kubernetes cluster reachable at " + config.getMasterUrl() + " (" + reason(e)
                    + "); check --kubeconfig, or " + LOCAL_HINT);
        }
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }
}
