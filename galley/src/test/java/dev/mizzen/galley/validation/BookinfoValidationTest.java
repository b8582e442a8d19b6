package dev.mizzen.galley.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.galley.pipeline.ObjectValidator;
import dev.mizzen.galley.validation.YamlDocuments.Doc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * Real-world config passes: every Istio document of Istio's Bookinfo samples validates without errors, with
 * Istio's rules alone (the webhook) and with the CRD schema and its CEL rules before them (istiod validate).
 */
class BookinfoValidationTest {
    private static final ObjectValidator FULL = ObjectValidator.full();
    private final IstioValidator validator = new IstioValidator();

    static Stream<Doc> istioDocuments() {
        return YamlDocuments.bookinfo().stream().filter(d -> d.configKind().isPresent());
    }

    @Test
    void theSamplesHoldEveryNetworkingKindTheyUse() {
        assertThat(istioDocuments().<ConfigKind<?>>map(d -> d.configKind().orElseThrow()).distinct())
                .contains(ConfigKind.VIRTUAL_SERVICE, ConfigKind.DESTINATION_RULE, ConfigKind.GATEWAY,
                        ConfigKind.SERVICE_ENTRY);
        assertThat(istioDocuments()).hasSizeGreaterThan(30);
    }

    @Test
    void thePlatformFileHoldsNoIstioKindsAndIsSkipped() {
        assertThat(YamlDocuments.documents("istio/bookinfo/platform/kube/bookinfo.yaml"))
                .isNotEmpty()
                .allSatisfy(d -> assertThat(d.configKind()).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("istioDocuments")
    void validatesWithoutErrors(Doc doc) {
        ValidationReport report = validator.validateRaw(doc.configKind().orElseThrow(), doc.namespace(), doc.spec());

        assertThat(report.errors()).as(doc.toString()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("istioDocuments")
    void passesTheCrdSchemaAndItsRulesToo(Doc doc) {
        ObjectValidator.Verdict verdict = FULL.validate(doc.source().content());

        assertThat(verdict.outcome()).isEqualTo(ObjectValidator.Outcome.CHECKED);
        assertThat(verdict.findings()).as(doc.toString()).allSatisfy(f -> assertThat(f.isError()).isFalse());
    }

    @Test
    void onlyTheFaultSampleEarnsAWarningTheSameAsIstioGivesIt() {
        // its second rule has no match like the first: Istio warns that it can never be reached
        assertThat(istioDocuments().filter(d -> !validator.validateRaw(d.configKind().orElseThrow(), d.namespace(),
                d.spec()).warnings().isEmpty()))
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.toString()).isEqualTo("fault-injection-details-v1.yaml#0 VirtualService/details");
                    assertThat(validator.validateRaw(d.configKind().orElseThrow(), d.namespace(), d.spec()).warnings())
                            .extracting(Finding::toString)
                            .containsExactly("spec.http[1]: virtualService rule #1 not used (only the last rule can have no matches)");
                });
    }
}
