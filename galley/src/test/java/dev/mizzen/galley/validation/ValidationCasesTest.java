package dev.mizzen.galley.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mizzen.api.config.ConfigKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The table of cases under {@code validation/cases/}: each names a kind and a spec, and lists the errors
 * (and, where it matters, warnings) expected, each as {@code path: gist of the message}. A case without
 * {@code errors} must be accepted; a case with errors must produce exactly those, no more.
 */
class ValidationCasesTest {
    private static final String DIR = "validation/cases";
    private final IstioValidator validator = new IstioValidator();

    /** One row of the table. */
    record Case(String file, String name, ConfigKind kind, String namespace, JsonNode spec,
                List<Map.Entry<String, String>> errors, List<Map.Entry<String, String>> warnings) {
        @Override
        public String toString() {
            return file + ": " + name;
        }
    }

    static Stream<Case> cases() {
        List<Case> all = new ArrayList<>();
        for (String file : YamlDocuments.yamlFiles(DIR)) {
            JsonNode table = YamlDocuments.documents(file).get(0).tree().get("cases");
            for (JsonNode row : table) {
                String kind = row.get("kind").asString();
                ConfigKind<?> configKind = ConfigKind.all().stream()
                        .filter(k -> k.kind().equals(kind))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("unknown kind " + kind));
                all.add(new Case(file.substring(DIR.length() + 1), row.get("name").asString(), configKind,
                        row.path("namespace").asString("default"), row.get("spec"),
                        expectations(row.get("errors")), expectations(row.get("warnings"))));
            }
        }
        return all.stream();
    }

    private static List<Map.Entry<String, String>> expectations(JsonNode list) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (list == null) {
            return out;
        }
        for (JsonNode item : list) {
            item.properties().forEach(e -> out.add(Map.entry(e.getKey(), e.getValue().asString())));
        }
        return out;
    }

    @Test
    void theTableHasAtLeast150CasesCoveringEveryKind() {
        List<Case> all = cases().toList();
        assertThat(all).hasSizeGreaterThanOrEqualTo(150);
        assertThat(all.stream().map(Case::kind).distinct()).containsExactlyInAnyOrderElementsOf(ConfigKind.all());
        assertThat(all.stream().filter(c -> c.errors().isEmpty())).as("accepted cases").hasSizeGreaterThan(40);
        assertThat(all.stream().filter(c -> !c.errors().isEmpty())).as("rejected cases").hasSizeGreaterThan(100);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesIstio(Case c) {
        ValidationReport report = validator.validateRaw(c.kind(), c.namespace(), c.spec());

        assertMatches("errors", report.errors(), c.errors(), true);
        assertMatches("warnings", report.warnings(), c.warnings(), false);
    }

    /** Each expectation must meet a finding with its path whose message contains its gist. */
    private static void assertMatches(String what, List<Finding> actual, List<Map.Entry<String, String>> expected,
                                      boolean exactly) {
        List<Finding> unmatched = new ArrayList<>(actual);
        for (Map.Entry<String, String> e : expected) {
            Finding hit = unmatched.stream()
                    .filter(f -> f.path().equals(e.getKey())
                            && f.message().toLowerCase(Locale.ROOT).contains(e.getValue().toLowerCase(Locale.ROOT)))
                    .findFirst()
                    .orElse(null);
            assertThat(hit).as("expected %s %s: %s among %s", what, e.getKey(), e.getValue(), actual).isNotNull();
            unmatched.remove(hit);
        }
        if (exactly) {
            assertThat(unmatched).as("unexpected " + what).isEmpty();
        }
    }
}
