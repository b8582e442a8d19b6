package dev.mizzen.pilot.inject;

import dev.mizzen.api.admission.AdmissionRequest;
import dev.mizzen.api.admission.AdmissionResponse;
import io.fabric8.zjsonpatch.JsonPatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The /inject webhook logic: JSONPatch out for a selected pod, clear denials for bad input, never a throw. */
class InjectionAdmissionTest {
    private static final SidecarInjector INJECTOR = new SidecarInjector(InjectionSettings.defaults());
    private static final Map<String, Map<String, String>> NAMESPACES = Map.of(
            "shop", Map.of("istio-injection", "enabled"),
            "plain", Map.of());
    private final InjectionAdmission admission = new InjectionAdmission(INJECTOR, NAMESPACES::get);

    @SuppressWarnings("unchecked")
    private static AdmissionRequest create(JsonNode pod, String namespace) {
        Map<String, Object> object = pod == null ? null : Trees.JSON.convertValue(pod, Map.class);
        return new AdmissionRequest("uid-1", "", "v1", "Pod", namespace, "", "CREATE", object, null, false,
                "system:serviceaccount:kube-system:replicaset-controller", List.of());
    }

    /** A Deployment's pod as the apiserver sends it: generateName, owner, no namespace in the object. */
    private static ObjectNode deploymentPod() {
        return Fixtures.yaml("""
                apiVersion: v1
                kind: Pod
                metadata:
                  generateName: reviews-v1-7d9f8c-
                  labels: {app: reviews, version: v1, pod-template-hash: 7d9f8c}
                  ownerReferences:
                  - {apiVersion: apps/v1, kind: ReplicaSet, name: reviews-v1-7d9f8c, uid: u1, controller: true}
                spec:
                  serviceAccountName: bookinfo-reviews
                  containers:
                  - name: reviews
                    image: example/reviews:1
                    ports: [{containerPort: 9080}]
                    readinessProbe: {httpGet: {path: /health, port: 9080}}
                """);
    }

    @Test
    void patchAppliedToThePodGivesTheEnginesPod() {
        ObjectNode pod = deploymentPod();

        AdmissionResponse response = admission.admit(create(pod, "shop"));

        assertThat(response.allowed()).isTrue();
        assertThat(response.jsonPatch()).isNotNull();
        JsonNode patched = JsonPatch.apply(Trees.JSON.readTree(response.jsonPatch()), pod);
        InjectionResult direct = INJECTOR.inject(new PodRequest(pod, "shop", NAMESPACES.get("shop"),
                WorkloadMeta.ofPod(pod, "shop"), InjectionTrigger.WEBHOOK));
        assertThat(patched).isEqualTo(((InjectionResult.Injected) direct).pod());
        assertThat(pod.path("spec").path("initContainers").isMissingNode()).as("request pod untouched").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pod.yaml", "native-sidecar.yaml", "hello-probes.yaml", "two_container.yaml",
            "grpc-agent.yaml", "traffic-annotations.yaml", "status_annotations.yaml"})
    void patchMatchesTheEngineForIstiosFixtures(String fixture) {
        JsonNode doc = Fixtures.documents(Fixtures.istio(fixture)).get(0);
        ObjectNode pod = doc.get("kind").asString().equals("Pod") ? (ObjectNode) doc : Trees.object();
        if (pod != doc) {
            pod.put("apiVersion", "v1").put("kind", "Pod");
            pod.set("metadata", doc.at("/spec/template/metadata").deepCopy());
            ((ObjectNode) pod.get("metadata")).put("name", doc.at("/metadata/name").asString());
            pod.set("spec", doc.at("/spec/template/spec").deepCopy());
        }

        AdmissionResponse response = admission.admit(create(pod, "shop"));

        JsonNode patched = JsonPatch.apply(Trees.JSON.readTree(response.jsonPatch()), pod);
        InjectionResult direct = INJECTOR.inject(new PodRequest(pod, "shop", NAMESPACES.get("shop"),
                WorkloadMeta.ofPod(pod, "shop"), InjectionTrigger.WEBHOOK));
        assertThat(patched).isEqualTo(((InjectionResult.Injected) direct).pod());
    }

    @Test
    void podOfADeploymentReportsItsDeployment() {
        AdmissionResponse response = admission.admit(create(deploymentPod(), "shop"));

        JsonNode patched = JsonPatch.apply(Trees.JSON.readTree(response.jsonPatch()), deploymentPod());
        JsonNode proxy = Trees.named(Trees.arr(patched.get("spec"), "initContainers"), "istio-proxy");
        assertThat(proxy.get("env").toString())
                .contains("{\"name\":\"ISTIO_META_WORKLOAD_NAME\",\"value\":\"reviews-v1\"}")
                .contains("kubernetes://apis/apps/v1/namespaces/shop/deployments/reviews-v1");
        assertThat(patched.at("/metadata/labels/service.istio.io~1canonical-name").asString()).isEqualTo("reviews");
        assertThat(patched.at("/spec/containers/0/readinessProbe/httpGet/path").asString())
                .isEqualTo("/app-health/reviews/readyz");
    }

    @Test
    void patchOnlyAddsAndReplaces() {
        AdmissionResponse response = admission.admit(create(deploymentPod(), "shop"));

        for (JsonNode op : Trees.JSON.readTree(response.jsonPatch())) {
            assertThat(op.get("op").asString()).isIn("add", "replace", "remove");
        }
    }

    @Test
    void unselectedPodIsAllowedUnchanged() {
        AdmissionResponse response = admission.admit(create(deploymentPod(), "plain"));

        assertThat(response.allowed()).isTrue();
        assertThat(response.jsonPatch()).isNull();
    }

    @Test
    void injectingTwiceChangesNothing() {
        ObjectNode pod = deploymentPod();
        AdmissionResponse first = admission.admit(create(pod, "shop"));
        JsonNode injected = JsonPatch.apply(Trees.JSON.readTree(first.jsonPatch()), pod);

        AdmissionResponse second = admission.admit(create(injected, "shop"));

        assertThat(second.allowed()).isTrue();
        assertThat(second.jsonPatch()).isNull();
    }

    @Test
    void deniesWhatIsNotAPod() {
        AdmissionRequest deployment = new AdmissionRequest("u", "apps", "v1", "Deployment", "shop", "web", "CREATE",
                Map.of("kind", "Deployment"), null, false, "", List.of());

        AdmissionResponse response = admission.admit(deployment);

        assertThat(response.allowed()).isFalse();
        assertThat(response.code()).isEqualTo(400);
        assertThat(response.message()).contains("expects a Pod, got apps/Deployment");
    }

    @Test
    void deniesMalformedPods() {
        ObjectNode badContainers = Fixtures.yaml("{metadata: {name: x}, spec: {containers: {name: web}}}");
        ObjectNode noSpec = Fixtures.yaml("{metadata: {name: x, labels: {a: [1]}}}");

        assertThat(admission.admit(create(badContainers, "shop")).message()).contains("the pod has no containers");
        AdmissionResponse noSpecResponse = admission.admit(create(noSpec, "shop"));
        assertThat(noSpecResponse.message()).contains("metadata.labels['a'] is not a string")
                .contains("the pod has no spec");
        assertThat(admission.admit(create(null, "shop")).message()).contains("carries no pod");
    }

    @Test
    void deniesAPodWithoutContainers() {
        ObjectNode pod = Fixtures.yaml("{metadata: {name: empty}, spec: {containers: []}}");

        AdmissionResponse response = admission.admit(create(pod, "shop"));

        assertThat(response.allowed()).isFalse();
        assertThat(response.message()).contains("the pod has no containers");
    }

    @Test
    void deniesAnUnknownTemplate() {
        ObjectNode pod = Fixtures.pod("{}", "{inject.istio.io/templates: 'sidecar,nope'}");

        AdmissionResponse response = admission.admit(create(pod, "shop"));

        assertThat(response.allowed()).isFalse();
        assertThat(response.message()).contains("requested injection template 'nope' not found; have gateway, grpc-agent, grpc-simple, sidecar");
    }

    @Test
    void deniesInvalidAnnotationsWithEveryReason() {
        ObjectNode pod = Fixtures.pod("{}", """
                {traffic.sidecar.istio.io/includeOutboundIPRanges: '10.0.0.0/33,10.1.0.0/16',
                 traffic.sidecar.istio.io/excludeInboundPorts: '80,http',
                 sidecar.istio.io/proxyCPU: 'lots',
                 sidecar.istio.io/interceptionMode: 'MAGIC'}""");

        AdmissionResponse response = admission.admit(create(pod, "shop"));

        assertThat(response.allowed()).isFalse();
        assertThat(response.code()).isEqualTo(400);
        assertThat(response.message())
                .contains("invalid value '10.0.0.0/33,10.1.0.0/16' for annotation "
                        + "'traffic.sidecar.istio.io/includeOutboundIPRanges': includeIPRanges invalid: failed parsing cidr '10.0.0.0/33'")
                .contains("failed parsing port 'http'")
                .contains("quantity 'lots' must match")
                .contains("interceptionMode must be REDIRECT, TPROXY or NONE");
    }

    @Test
    void otherOperationsPassThrough() {
        AdmissionRequest update = new AdmissionRequest("u", "", "v1", "Pod", "shop", "web", "UPDATE",
                Map.of("kind", "Pod"), Map.of("kind", "Pod"), false, "", List.of());

        assertThat(admission.admit(update)).isEqualTo(AdmissionResponse.allow());
    }

    @Test
    void aFailingNamespaceLookupIsADenialNotAThrow() {
        InjectionAdmission broken = new InjectionAdmission(INJECTOR, ns -> {
            throw new IllegalStateException("informer not synced");
        });

        AdmissionResponse response = broken.admit(create(deploymentPod(), "shop"));

        assertThat(response.allowed()).isFalse();
        assertThat(response.code()).isEqualTo(500);
        assertThat(response.message()).contains("informer not synced");
    }

    @Test
    void aBrokenTemplateIsADenial() {
        InjectionSettings settings = InjectionSettings.defaults().withInjectConfig("""
                templates:
                  broken: |
                    spec:
                      containers:
                      - name: istio-proxy
                        volumeMounts: [{name: missing, mountPath: /x}]
                        image: x
                """);
        InjectionAdmission withBroken = new InjectionAdmission(new SidecarInjector(settings), NAMESPACES::get);
        ObjectNode pod = Fixtures.pod("{}", "{inject.istio.io/templates: broken}");

        AdmissionResponse response = withBroken.admit(create(pod, "shop"));

        assertThat(response.allowed()).isFalse();
        assertThat(response.message())
                .contains("injection would produce an invalid pod: container istio-proxy mounts volume missing");
    }
}
