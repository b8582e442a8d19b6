package dev.mizzen.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Helm charts of install/kubernetes/helm, rendered by Helm itself, are the checked-in manifests: the istiod chart
 * gives install/kubernetes/istiod.yaml (but for the Namespace, which {@code helm install --create-namespace} makes),
 * the gateway chart the ingress and egress gateways, the base chart Istio's CRDs. Compared as Kubernetes objects, so
 * comments and layout may differ; and Istio's value names change what they change in Istio's charts.
 */
class HelmChartTest {
    private static final Path CHARTS = Installation.INSTALL.resolve("helm");
    /** Only parses YAML into Kubernetes objects: it never connects. */
    private static KubernetesClient parser;

    @TempDir
    Path home;

    @BeforeAll
    static void parser() {
        parser = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:9").build())
                .build();
    }

    @AfterAll
    static void close() {
        parser.close();
    }

    @Test
    void theIstiodChartRendersTheInstallManifest() throws IOException {
        List<HasMetadata> rendered = objects(new Helm(home).template("istiod", CHARTS.resolve("istiod")));
        List<HasMetadata> installed = objects(Files.readString(Installation.INSTALL.resolve("istiod.yaml")))
                .stream().filter(o -> !o.getKind().equals("Namespace")).toList();

        assertThat(rendered).isEqualTo(installed);
    }

    @Test
    void theGatewayChartRendersTheIngressAndEgressGateways() throws IOException {
        Helm helm = new Helm(home);
        assertThat(objects(helm.template("istio-ingressgateway", CHARTS.resolve("gateway"))))
                .isEqualTo(objects(Files.readString(Installation.INSTALL.resolve("gateways/istio-ingressgateway.yaml"))));
        assertThat(objects(helm.template("istio-egressgateway", CHARTS.resolve("gateway"), "--set", "service.type=ClusterIP")))
                .isEqualTo(objects(Files.readString(Installation.INSTALL.resolve("gateways/istio-egressgateway.yaml"))));
    }

    @Test
    void theBaseChartRendersIstiosCrds() throws IOException {
        assertThat(objects(new Helm(home).template("base", CHARTS.resolve("base"))))
                .isEqualTo(objects(Files.readString(Installation.INSTALL.resolve("crds/crd-all.gen.yaml"))))
                .isNotEmpty();
    }

    @Test
    void istiosValueNamesSetWhatTheySetInIstiosCharts() {
        List<HasMetadata> rendered = objects(new Helm(home).template("istiod", CHARTS.resolve("istiod"),
                "--set", "global.hub=registry.example.com/mesh,global.tag=1.2.3",
                "--set", "pilot.autoscaleMin=3,pilot.autoscaleMax=9,pilot.resources.limits.memory=4Gi",
                "--set", "meshConfig.accessLogFile=/dev/stdout", "--set", "pilot.env.PILOT_TRACE_SAMPLING=5"));

        Deployment istiod = only(rendered, Deployment.class);
        var container = istiod.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("registry.example.com/mesh/istiod:1.2.3");
        assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("4Gi");
        assertThat(container.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("PILOT_TRACE_SAMPLING");
            assertThat(e.getValue()).isEqualTo("5");
        });
        HorizontalPodAutoscaler hpa = only(rendered, HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(9);
        assertThat(only(rendered, ConfigMap.class).getData().get("mesh")).contains("accessLogFile: /dev/stdout");
    }

    @Test
    void aRevisionIsRefusedRatherThanHalfRendered() {
        Helm.Result result = new Helm(home).run("template", "istiod", CHARTS.resolve("istiod").toString(),
                "--kube-version", Helm.KUBE_VERSION, "--set", "revision=canary");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("default revision only");
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    /** The documents of a YAML stream as Kubernetes objects, ordered by kind, namespace and name. */
    private static List<HasMetadata> objects(String yaml) {
        return parser.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items().stream()
                .sorted(Comparator.comparing((HasMetadata o) -> o.getKind())
                        .thenComparing(o -> String.valueOf(o.getMetadata().getNamespace()))
                        .thenComparing(o -> o.getMetadata().getName()))
                .toList();
    }
}
