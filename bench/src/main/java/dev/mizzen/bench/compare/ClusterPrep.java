package dev.mizzen.bench.compare;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What both servers need in a fresh cluster before they start: Istio's CRDs (the file Istio's own charts install,
 * {@code manifests/charts/base/files/crd-all.gen.yaml} of the istio.io/istio module) and istiod's namespace.
 */
final class ClusterPrep {
    private static final Duration ESTABLISHED = Duration.ofMinutes(1);

    private ClusterPrep() {
    }

    /** Creates the CRDs of {@code crds} and waits until the API server serves them; returns how many. */
    static int apply(KubernetesClient client, Path crds, String istiodNamespace) throws IOException {
        List<HasMetadata> items;
        try (InputStream in = Files.newInputStream(crds)) {
            items = client.load(in).items();
        }
        List<CustomResourceDefinition> definitions = items.stream().filter(CustomResourceDefinition.class::isInstance)
                .map(CustomResourceDefinition.class::cast).toList();
        for (CustomResourceDefinition crd : definitions) {
            client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
        for (CustomResourceDefinition crd : definitions) {
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(ClusterPrep::established, ESTABLISHED.toSeconds(), TimeUnit.SECONDS);
        }
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(istiodNamespace).endMetadata()
                .build()).create();
        return definitions.size();
    }

    private static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
