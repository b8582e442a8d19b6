package dev.mizzen.galley.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mizzen.api.admission.AdmissionRequest;
import dev.mizzen.api.admission.AdmissionResponse;
import dev.mizzen.galley.validation.IstioValidator;
import dev.mizzen.galley.validation.YamlDocuments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

class ValidationAdmissionTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final ValidationAdmission admission = new ValidationAdmission(new IstioValidator());

    @Test
    void aValidObjectIsAllowed() {
        AdmissionResponse response = admission.admit(request("CREATE", "networking.istio.io", "v1", "VirtualService",
                reviews("80", "20"), false));

        assertThat(response.allowed()).isTrue();
        assertThat(response.warnings()).isEmpty();
        assertThat(response.jsonPatch()).isNull();
    }

    @Test
    void anInvalidObjectIsDeniedWithEveryMessage() {
        AdmissionResponse response = admission.admit(request("UPDATE", "networking.istio.io", "v1beta1", "VirtualService",
                object("""
                        apiVersion: networking.istio.io/v1beta1
                        kind: VirtualService
                        metadata: {name: reviews, namespace: default}
                        spec:
                          hosts: ["*"]
                          http: [{route: [{destination: {host: reviews}, weight: -1}], timeout: 0s}]
                        """), false));

        assertThat(response.allowed()).isFalse();
        assertThat(response.code()).isEqualTo(400);
        assertThat(response.message()).startsWith("configuration is invalid: ")
                .contains("spec.hosts[0]: wildcard host * is not allowed")
                .contains("spec.http[0].route[0].weight: weight -1 is negative")
                .contains("spec.http[0].timeout: duration 0s must be at least 1ms");
    }

    @Test
    void warningsComeBackWithAnAllowedObject() {
        AdmissionResponse response = admission.admit(request("CREATE", "networking.istio.io", "v1", "VirtualService",
                reviews("60", "20"), false));

        assertThat(response.allowed()).isTrue();
        assertThat(response.warnings()).containsExactly(
                "spec.http[0].route: the weights add up to 80, not 100; traffic is split in proportion to them");
    }

    @Test
    void warningsComeBackWithADeniedObjectToo() {
        AdmissionResponse response = admission.admit(request("CREATE", "networking.istio.io", "v1", "VirtualService",
                object("""
                        apiVersion: networking.istio.io/v1
                        kind: VirtualService
                        metadata: {name: reviews, namespace: default}
                        spec: {hosts: [reviews], gateways: [gw.istio-system, "bad/Gw_1"], http: [{route: [{destination: {host: reviews}}]}]}
                        """), false));

        assertThat(response.allowed()).isFalse();
        assertThat(response.warnings()).singleElement().asString().contains("legacy gatewayName format");
    }

    @Test
    void aDryRunIsJudgedTheSame() {
        Map<String, Object> bad = reviews("-5", "105");
        AdmissionResponse real = admission.admit(request("CREATE", "networking.istio.io", "v1", "VirtualService", bad, false));
        AdmissionResponse dry = admission.admit(request("CREATE", "networking.istio.io", "v1", "VirtualService", bad, true));

        assertThat(dry).isEqualTo(real);
        assertThat(dry.allowed()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"DELETE", "CONNECT"})
    void deleteAndConnectAreAllowedWhateverTheObject(String operation) {
        AdmissionResponse response = admission.admit(request(operation, "networking.istio.io", "v1", "VirtualService",
                reviews("-5", "105"), false));

        assertThat(response.allowed()).isTrue();
    }

    @Test
    void anUnknownKindInAnIstioGroupIsDenied() {
        AdmissionResponse response = admission.admit(request("CREATE", "networking.istio.io", "v1", "Frobnicator",
                Map.of("apiVersion", "networking.istio.io/v1", "kind", "Frobnicator", "spec", Map.of()), false));

        assertThat(response.allowed()).isFalse();
        assertThat(response.code()).isEqualTo(400);
        assertThat(response.message()).isEqualTo("unrecognized type Frobnicator; known kinds of networking.istio.io: "
                + "DestinationRule, EnvoyFilter, Gateway, ProxyConfig, ServiceEntry, Sidecar, VirtualService, "
                + "WorkloadEntry, WorkloadGroup");
    }

    @Test
    void aKnownKindIsValidatedWhateverItsVersion() {
        AdmissionResponse bad = admission.admit(request("CREATE", "networking.istio.io", "v2", "VirtualService",
                reviews("-5", "105"), false));
        AdmissionResponse good = admission.admit(request("CREATE", "networking.istio.io", "v1alpha3", "VirtualService",
                reviews("50", "50"), false));

        assertThat(bad.allowed()).isFalse();
        assertThat(bad.message()).startsWith("configuration is invalid");
        assertThat(good.allowed()).isTrue();
    }

    @Test
    void aKindOfAnotherGroupIsAllowed() {
        AdmissionResponse response = admission.admit(request("CREATE", "apps", "v1", "Deployment",
                Map.of("apiVersion", "apps/v1", "kind", "Deployment", "spec", Map.of("replicas", -3)), false));

        assertThat(response.allowed()).isTrue();
    }

    @Test
    void aSpecThatDoesNotFitTheTypesIsDenied() {
        AdmissionResponse response = admission.admit(request("CREATE", "networking.istio.io", "v1", "VirtualService",
                reviews("\"eighty\"", "20"), false));

        assertThat(response.allowed()).isFalse();
        assertThat(response.message()).contains("spec.http[0].route[0].weight: cannot read \"eighty\" as an integer");
    }

    @Test
    void anUnknownTopLevelFieldIsDenied() {
        Map<String, Object> object = new java.util.LinkedHashMap<>(reviews("80", "20"));
        object.put("extra", Map.of());

        AdmissionResponse response = admission.admit(request("CREATE", "networking.istio.io", "v1", "VirtualService", object, false));

        assertThat(response.allowed()).isFalse();
        assertThat(response.message()).isEqualTo("unknown field \"extra\" on VirtualService resource default/reviews");
    }

    @Test
    void aRequestWithoutObjectIsDenied() {
        AdmissionResponse response = admission.admit(request("CREATE", "security.istio.io", "v1", "PeerAuthentication", null, false));

        assertThat(response.allowed()).isFalse();
        assertThat(response.code()).isEqualTo(400);
    }

    private static AdmissionRequest request(String operation, String group, String version, String kind,
                                            Map<String, Object> object, boolean dryRun) {
        return new AdmissionRequest("uid-1", group, version, kind, "default", "reviews", operation, object, null, dryRun,
                "kubernetes-admin", List.of("system:masters"));
    }

    private static Map<String, Object> reviews(String w1, String w2) {
        return object("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: default}
                spec:
                  hosts: [reviews]
                  http: [{route: [{destination: {host: reviews, subset: v1}, weight: %s}, {destination: {host: reviews, subset: v2}, weight: %s}]}]
                """.formatted(w1, w2));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String yaml) {
        return JSON.convertValue(YamlDocuments.tree(yaml), Map.class);
    }
}
