package dev.mizzen.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/** Mizzen's install manifests (install/kubernetes) applied to a real cluster as {@code kubectl apply --server-side} would. */
final class Installation {
    static final Path INSTALL = Path.of("..", "install", "kubernetes");

    private Installation() {
    }

    /** Applies Istio's CRDs and waits until the apiserver serves every one of them. */
    static void applyCrds(KubernetesClient client) {
        List<HasMetadata> crds = apply(client, INSTALL.resolve("crds").resolve("crd-all.gen.yaml"));
        await().atMost(Duration.ofMinutes(1)).until(() -> crds.stream().allMatch(crd ->
                client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get()
                        .getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"))));
    }

    /** Server-side applies every document of {@code file} (as field manager mizzen-it). */
    static List<HasMetadata> apply(KubernetesClient client, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            var items = client.load(in).items();
            for (HasMetadata item : items) {
                client.resource(item).fieldManager("mizzen-it").forceConflicts().serverSideApply();
            }
            return items;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A client of the cluster's admin that calls itself {@code agent}: the apiserver records the first part of a
     * user agent as the manager of the fields a client writes, so a test can tell which replica wrote an object.
     */
    static KubernetesClient clientAs(KubeCluster cluster, String agent) {
        try {
            Config config = new ConfigBuilder(Config.fromKubeconfig(Files.readString(cluster.kubeconfig())))
                    .withUserAgent(agent).build();
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
