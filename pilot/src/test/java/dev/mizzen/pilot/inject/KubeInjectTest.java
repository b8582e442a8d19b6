package dev.mizzen.pilot.inject;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** kube-inject over whole manifests: which documents change, which pass through, order, idempotence. */
class KubeInjectTest {
    private static final InjectionSettings DEFAULTS = InjectionSettings.defaults();

    @Test
    void bookinfoInjectsCleanly() {
        String bookinfo = Fixtures.resource("inject/bookinfo.yaml");

        KubeInject.Result result = KubeInject.run(bookinfo, new SidecarInjector(DEFAULTS));

        assertThat(result.warnings()).isEmpty();
        List<JsonNode> before = Fixtures.documents(bookinfo);
        List<JsonNode> after = Fixtures.documents(result.yaml());
        assertThat(after).hasSameSizeAs(before);
        int deployments = 0;
        for (int i = 0; i < before.size(); i++) {
            JsonNode in = before.get(i);
            JsonNode out = after.get(i);
            assertThat(out.get("kind")).isEqualTo(in.get("kind"));
            assertThat(out.get("metadata")).isEqualTo(in.get("metadata"));
            if (in.get("kind").asString().equals("Deployment")) {
                deployments++;
                JsonNode spec = out.at("/spec/template/spec");
                assertThat(Trees.named(Trees.arr(spec, "initContainers"), "istio-proxy")).isNotNull();
                assertThat(Trees.named(Trees.arr(spec, "initContainers"), "istio-init")).isNotNull();
                assertThat(spec.get("containers")).isEqualTo(in.at("/spec/template/spec/containers"));
                assertThat(spec.get("serviceAccountName")).isEqualTo(in.at("/spec/template/spec/serviceAccountName"));
                assertThat(out.at("/spec/template/metadata/annotations/sidecar.istio.io~1status").isString()).isTrue();
            } else {
                assertThat(out).isEqualTo(in);
            }
        }
        assertThat(deployments).isEqualTo(6);
    }

    @Test
    void passesOtherDocumentsThroughByteForByte() {
        String service = """
                # the frontend service
                kind: Service
                apiVersion: v1
                metadata:
                  name: frontend   # keep this comment
                spec:
                  ports:
                  - port: 80
                """;
        String configMap = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {a: "1"}
                """;

        String out = KubeInject.inject(service + "---\n" + Fixtures.istio("pod.yaml") + "---\n" + configMap, DEFAULTS);

        String[] docs = out.split("(?m)^---\n");
        assertThat(docs).hasSize(3);
        assertThat(docs[0]).isEqualTo(service);
        assertThat(docs[1]).contains("istio-proxy");
        assertThat(docs[2]).isEqualTo(configMap);
    }

    @Test
    void injectsEveryWorkloadKind() {
        String manifest = String.join("---\n",
                workload("apps/v1", "ReplicaSet", "spec: {template: %s}"),
                workload("apps/v1", "StatefulSet", "spec: {template: %s}"),
                workload("apps/v1", "DaemonSet", "spec: {template: %s}"),
                workload("batch/v1", "Job", "spec: {template: %s}"),
                workload("batch/v1", "CronJob", "spec: {schedule: '* * * * *', jobTemplate: {spec: {template: %s}}}"),
                workload("v1", "ReplicationController", "spec: {template: %s}"),
                "apiVersion: v1\nkind: List\nitems:\n- " + workload("apps/v1", "Deployment", "spec: {template: %s}")
                        .replace("\n", "\n  ").trim());

        List<JsonNode> docs = Fixtures.documents(KubeInject.inject(manifest, DEFAULTS));

        assertThat(docs).hasSize(7);
        for (JsonNode doc : docs) {
            JsonNode podSpec = switch (doc.get("kind").asString()) {
                case "CronJob" -> doc.at("/spec/jobTemplate/spec/template/spec");
                case "List" -> doc.at("/items/0/spec/template/spec");
                default -> doc.at("/spec/template/spec");
            };
            assertThat(Trees.named(Trees.arr(podSpec, "initContainers"), "istio-proxy"))
                    .as(doc.get("kind").asString()).isNotNull();
        }
        JsonNode cronProxy = Trees.named(Trees.arr(docs.get(4).at("/spec/jobTemplate/spec/template/spec"),
                "initContainers"), "istio-proxy");
        assertThat(cronProxy.get("env").toString()).contains("kubernetes://apis/batch/v1/namespaces/default/cronjobs/w");
    }

    private static String workload(String apiVersion, String kind, String spec) {
        String template = "{metadata: {labels: {app: w}}, spec: {containers: [{name: w, image: example/w:1}]}}";
        return "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: {name: w}\n"
                + spec.formatted(template) + "\n";
    }

    @Test
    void skipsWithAWarning() {
        String hostNetwork = workload("apps/v1", "Deployment",
                "spec: {template: {spec: {hostNetwork: true, containers: [{name: w, image: x}]}}}");

        KubeInject.Result result = KubeInject.run(hostNetwork, new SidecarInjector(DEFAULTS));

        assertThat(result.yaml()).isEqualTo(hostNetwork + "---\n");
        assertThat(result.warnings()).containsExactly(
                "===> Skipping injection because Deployment \"w\": the pod uses the host network");
    }

    @Test
    void injectingTwiceChangesNothing() {
        String once = KubeInject.inject(Fixtures.istio("hello-multi.yaml"), DEFAULTS);

        String twice = KubeInject.inject(once, DEFAULTS);

        assertThat(Fixtures.documents(twice)).isEqualTo(Fixtures.documents(once));
    }

    @Test
    void reportsInvalidYamlWithItsLine() {
        String manifest = "kind: ConfigMap\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: [x\n";

        assertThatThrownBy(() -> KubeInject.inject(manifest, DEFAULTS))
                .isInstanceOf(KubeInjectException.class)
                .hasMessageContaining("document 2 (line 5): invalid YAML");
    }

    @Test
    void reportsAWorkloadThatCannotBeInjected() {
        String bad = workload("apps/v1", "Deployment", "spec: {template: {metadata: {annotations: "
                + "{traffic.sidecar.istio.io/excludeOutboundIPRanges: '10.0.0.1'}}, spec: {containers: [{name: w, image: x}]}}}");

        assertThatThrownBy(() -> KubeInject.inject(bad, DEFAULTS))
                .isInstanceOf(KubeInjectException.class)
                .hasMessageContaining("Deployment \"w\": invalid value '10.0.0.1' for annotation "
                        + "'traffic.sidecar.istio.io/excludeOutboundIPRanges': excludeIPRanges invalid: failed parsing cidr '10.0.0.1'");
    }

    @Test
    void templateLessWorkloadIsAnError() {
        assertThatThrownBy(() -> KubeInject.inject("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\n",
                DEFAULTS)).hasMessageContaining("Deployment \"w\": spec.template is required");
    }
}
