package dev.mizzen.galley.pipeline;

import dev.mizzen.galley.manifest.ManifestDocument;
import dev.mizzen.galley.manifest.ManifestReader;
import dev.mizzen.galley.validation.Finding;
import dev.mizzen.galley.validation.ValidationReport;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Istio's CRD validation corpus (pkg/config/validation/testdata/crds): every object with an {@code _err} field
 * is invalid, every other one valid. {@code istiod validate}'s pipeline (reader, CRD schema and CEL, Istio's
 * rules) must decide each of them as Istio's CRD and webhook validation do.
 */
class IstioCrdCorpusTest {
    static final List<String> FILES = List.of("authz", "destinationrule", "envoyfilter", "peerauth", "proxyconfig",
            "reqauth", "serviceentry", "telemetry", "wasm", "workloadentry", "workloadgroup");

    @Test
    void everyDecisionAgreesWithIstio() throws Exception {
        ObjectValidator validator = ObjectValidator.full();
        List<String> disagreements = new ArrayList<>();
        int decisions = 0;
        for (String file : FILES) {
            for (String validity : List.of("valid", "invalid")) {
                String name = file + "-" + validity + ".yaml";
                for (ManifestDocument doc : read(name)) {
                    Map<String, Object> object = new LinkedHashMap<>(doc.content());
                    Object expected = object.remove("_err");
                    ObjectValidator.Verdict verdict = validator.validate(object);
                    decisions++;
                    if (verdict.hasErrors() != (expected != null)) {
                        disagreements.add(name + " " + doc.name() + ": want " + (expected == null ? "valid" : expected)
                                + ", got " + (verdict.hasErrors() ? ValidationReport.describe(errors(verdict)) : "valid"));
                    }
                }
            }
        }
        System.out.printf("Istio CRD corpus: %d/%d decisions agree%n", decisions - disagreements.size(), decisions);
        assertThat(disagreements).isEmpty();
        assertThat(decisions).isEqualTo(112);
    }

    private static List<Finding> errors(ObjectValidator.Verdict verdict) {
        return verdict.findings().stream().filter(Finding::isError).toList();
    }

    static List<ManifestDocument> read(String name) throws Exception {
        try (InputStream in = IstioCrdCorpusTest.class.getResourceAsStream("/istio/crd-corpus/" + name)) {
            return ManifestReader.standard().read(in);
        }
    }
}
