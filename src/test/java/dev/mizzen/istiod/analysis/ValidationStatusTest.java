package dev.mizzen.istiod.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.galley.analysis.AnalysisInput;
import dev.mizzen.galley.analysis.Analyzers;
import dev.mizzen.galley.analysis.DiagMessage;
import dev.mizzen.galley.analysis.ManifestInputs;
import dev.mizzen.galley.analysis.MeshOptions;
import dev.mizzen.galley.analysis.Messages;
import dev.mizzen.galley.analysis.Origin;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Messages per object to the status Istio writes, and which objects need a write to get there. */
class ValidationStatusTest {
    private static final ConfigKey REVIEWS = ConfigKey.of(ConfigKind.VIRTUAL_SERVICE, "shop", "reviews");
    private static final Map<String, Object> IST0101 = Map.of(
            "documentationUrl", "https://istio.io/latest/docs/reference/config/analysis/ist0101/",
            "level", "ERROR",
            "type", Map.of("code", "IST0101", "name", "ReferencedResourceNotFound"));

    /** The real analysis of a VirtualService bound to a gateway that does not exist, seen at generation 3. */
    private static final Analysed MISSING_GATEWAY = analyse("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: shop}
            spec:
              hosts: [reviews]
              gateways: [no-such-gateway]
              http:
              - route:
                - destination: {host: reviews}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: shop}
            spec:
              ports: [{name: http, port: 9080}]
            """, 3);

    /** The same, fixed (no gateway named), seen at generation 4. */
    private static final Analysed FIXED = analyse("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: shop}
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination: {host: reviews}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: shop}
            spec:
              ports: [{name: http, port: 9080}]
            """, 4);

    @Test
    void anObjectWithMessagesAndNoStatusGetsIstiosAnalysisMessageBasesAndItsGeneration() {
        assertThat(MISSING_GATEWAY.messages()).extracting(DiagMessage::toString)
                .contains("Error [IST0101] (VirtualService shop/reviews) Referenced gateway not found: "
                        + "\"no-such-gateway\"");

        List<ValidationStatus.Patch> plan = ValidationStatus.plan(MISSING_GATEWAY.messages(),
                MISSING_GATEWAY.generations(), List.of(observed(3, "41", Map.of())));

        assertThat(plan).hasSize(1);
        ValidationStatus.Patch patch = plan.get(0);
        assertThat(patch.key()).isEqualTo(REVIEWS);
        assertThat(patch.validationMessages()).hasSize(MISSING_GATEWAY.messages().size()).first().isEqualTo(IST0101);
        assertThat(JsonMapper.builder().build().writeValueAsString(patch.body())).startsWith(
                "{\"metadata\":{\"resourceVersion\":\"41\"},\"status\":{\"observedGeneration\":3,"
                        + "\"validationMessages\":[{\"documentationUrl\":"
                        + "\"https://istio.io/latest/docs/reference/config/analysis/ist0101/\",\"level\":\"ERROR\","
                        + "\"type\":{\"code\":\"IST0101\",\"name\":\"ReferencedResourceNotFound\"}}");
    }

    @Test
    void whatTheStatusAlreadySaysIsNotWrittenAgain() {
        List<Map<String, Object>> messages = MISSING_GATEWAY.statusMessages();

        assertThat(ValidationStatus.plan(MISSING_GATEWAY.messages(), MISSING_GATEWAY.generations(),
                List.of(observed(3, "42", status(3, messages))))).isEmpty();
        // Istio's protobuf JSON writes the int64 as a string: the same generation all the same
        assertThat(ValidationStatus.plan(MISSING_GATEWAY.messages(), MISSING_GATEWAY.generations(),
                List.of(observed(3, "42", status("3", messages))))).isEmpty();
    }

    @Test
    void theSameMessagesAboutAnOlderGenerationAreWrittenWithTheNewOne() {
        List<ValidationStatus.Patch> plan = ValidationStatus.plan(MISSING_GATEWAY.messages(),
                MISSING_GATEWAY.generations(), List.of(observed(3, "50", status(2, MISSING_GATEWAY.statusMessages()))));

        assertThat(plan).singleElement().satisfies(p -> {
            assertThat(p.observedGeneration()).isEqualTo(3);
            assertThat(p.validationMessages()).isEqualTo(MISSING_GATEWAY.statusMessages());
        });
    }

    @Test
    void messagesThatWentAwayAreClearedAndTheOtherStatusFieldsAreLeftAlone() {
        Map<String, Object> written = new LinkedHashMap<>(status(3, List.of(IST0101)));
        written.put("conditions", List.of(Map.of("type", "Reconciled", "status", "True")));

        List<ValidationStatus.Patch> plan = ValidationStatus.plan(FIXED.messages(), FIXED.generations(),
                List.of(observed(4, "60", written)));

        assertThat(FIXED.messages()).isEmpty();
        assertThat(plan).singleElement().satisfies(p -> {
            Map<String, Object> status = new HashMap<>();
            status.put("observedGeneration", 4L);
            status.put("validationMessages", null); // a merge patch's null removes the field; conditions stay
            assertThat(p.body()).containsEntry("status", status);
        });
    }

    @Test
    void objectsWithoutMessagesThatNeverHadAnyAreNeverWritten() {
        assertThat(ValidationStatus.plan(FIXED.messages(), FIXED.generations(), List.of(
                observed(4, "70", Map.of()),
                observed(4, "70", Map.of("observedGeneration", 1, "validationMessages", List.of())),
                observed(4, "70", Map.of("conditions", List.of()))))).isEmpty();
    }

    @Test
    void anObjectChangedSinceTheAnalysisOrNotAnalysedIsLeftForTheNextAnalysis() {
        ConfigKey unanalysed = ConfigKey.of(ConfigKind.DESTINATION_RULE, "shop", "rejected-by-validation");
        assertThat(ValidationStatus.plan(MISSING_GATEWAY.messages(), MISSING_GATEWAY.generations(), List.of(
                observed(4, "80", Map.of()),
                new ValidationStatus.Observed(unanalysed, 1, "81", status(1, List.of(IST0101)))))).isEmpty();
    }

    @Test
    void onlyIstioConfigObjectsGetStatusAndEachKeepsItsMessagesInOrder() {
        Origin vs = new Origin("VirtualService", "shop", "reviews");
        List<DiagMessage> messages = List.of(
                Messages.REFERENCED_RESOURCE_NOT_FOUND.on(vs, "host", "reviewz"),
                Messages.REFERENCED_RESOURCE_NOT_FOUND.on(new Origin("Service", "shop", "reviews"), "x", "y"),
                Messages.NAMESPACE_NOT_INJECTED.on(new Origin("Namespace", "", "shop"), "shop", "shop"),
                Messages.UNKNOWN_ANNOTATION.on(vs, "foo.istio.io/bar"));

        Map<ConfigKey, List<Map<String, Object>>> desired = ValidationStatus.desired(messages);

        assertThat(desired).containsOnlyKeys(REVIEWS);
        assertThat(desired.get(REVIEWS)).extracting(m -> (Object) ((Map<?, ?>) m.get("type")).get("code"))
                .containsExactly("IST0101", "IST0108");
        assertThat(desired.get(REVIEWS).get(1)).containsEntry("level", "WARNING");
    }

    @Test
    void oneObjectsMessagesAreBounded() {
        Origin vs = new Origin("VirtualService", "shop", "reviews");
        List<DiagMessage> many = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            many.add(Messages.REFERENCED_RESOURCE_NOT_FOUND.on(vs, "host", "h" + i));
        }
        assertThat(ValidationStatus.desired(many).get(REVIEWS)).hasSize(ValidationStatus.MAX_MESSAGES_PER_OBJECT);
    }

    private static ValidationStatus.Observed observed(long generation, String resourceVersion,
                                                      Map<String, Object> status) {
        return new ValidationStatus.Observed(REVIEWS, generation, resourceVersion, status);
    }

    private static Map<String, Object> status(Object generation, List<Map<String, Object>> messages) {
        return Map.of("observedGeneration", generation, "validationMessages", messages);
    }

    private record Analysed(List<DiagMessage> messages, Map<ConfigKey, Long> generations) {
        List<Map<String, Object>> statusMessages() {
            return ValidationStatus.desired(messages).get(REVIEWS);
        }
    }

    @SuppressWarnings("unchecked")
    private static Analysed analyse(String yaml, long generation) {
        ManifestInputs inputs = new ManifestInputs("default", ManifestInputs.SchemaStage.NONE);
        KubernetesSerialization serialization = new KubernetesSerialization();
        for (String doc : yaml.split("(?m)^---$")) {
            inputs.add((Map<String, Object>) serialization.unmarshal(doc, Map.class));
        }
        AnalysisInput input = inputs.input(MeshOptions.DEFAULT);
        Map<ConfigKey, Long> generations = new HashMap<>();
        for (ConfigKind<?> kind : ConfigKind.all()) {
            for (Config<?> c : input.config().list(kind)) {
                generations.put(c.key(), generation); // files carry none: as the informer saw it
            }
        }
        return new Analysed(Analyzers.analyze(input), generations);
    }
}
