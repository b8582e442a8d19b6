package dev.mizzen.galley.pipeline;

import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.galley.schema.CrdSchemas;
import dev.mizzen.galley.schema.KindSchema;
import dev.mizzen.galley.schema.SchemaValidator;
import dev.mizzen.galley.validation.ConfigValidator;
import dev.mizzen.galley.validation.Finding;
import dev.mizzen.galley.validation.IstioObjects;
import dev.mizzen.galley.validation.IstioValidator;
import dev.mizzen.galley.validation.ValidationReport;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the apiserver and istiod together would say about one object, for {@code istiod validate} and local
 * mode: the CRD's schema and CEL rules (what the apiserver checks before any webhook), then Istio's semantic
 * rules (what istiod's webhook checks). In a cluster the webhook runs only the second stage, since the
 * apiserver has run the first. A problem both stages see is reported once, by the schema stage: a semantic
 * finding is dropped when the schema stage refused the same field, or a value above it as of the wrong type
 * (a string where the schema wants an integer, which the spec reader cannot read either).
 *
 * <p>Objects of Istio's groups that our CRDs define but Mizzen has no semantic rules for (TrafficExtension)
 * get the schema stage only. Thread-safe and stateless.
 */
public final class ObjectValidator {
    /** A stage of validation; reading the YAML strictly is not one: it always happens. */
    public enum Stage { SCHEMA, SEMANTIC }

    /** What became of an object. */
    public enum Outcome {
        /** not in an Istio group: left alone */
        NOT_ISTIO,
        /** in an Istio group, but no CRD and no rules know its kind at its version: an error */
        UNRECOGNIZED,
        /** validated; see the findings */
        CHECKED
    }

    /**
     * The verdict on one object.
     *
     * @param findings errors and warnings, with paths in Istio's form; {@code (object)} for the whole object
     */
    public record Verdict(Outcome outcome, List<Finding> findings) {
        public Verdict {
            findings = List.copyOf(findings);
        }

        public boolean hasErrors() {
            return findings.stream().anyMatch(Finding::isError);
        }
    }

    private final CrdSchemas schemas;
    private final ConfigValidator rules;
    private final Set<Stage> stages;

    public ObjectValidator(CrdSchemas schemas, ConfigValidator rules, Set<Stage> stages) {
        this.schemas = schemas;
        this.rules = rules;
        this.stages = stages.isEmpty() ? EnumSet.noneOf(Stage.class) : EnumSet.copyOf(stages);
    }

    /** Both stages, with the CRDs we ship and Istio's rules. */
    public static ObjectValidator full() {
        return new ObjectValidator(CrdSchemas.shipped(), new IstioValidator(), EnumSet.allOf(Stage.class));
    }

    public Verdict validate(Map<String, Object> object) {
        String apiVersion = object.get("apiVersion") instanceof String s ? s : null;
        String kindName = object.get("kind") instanceof String s ? s : null;
        if (!ConfigKind.isIstioGroup(apiVersion)) {
            return new Verdict(Outcome.NOT_ISTIO, List.of());
        }
        Optional<KindSchema> schema = schemas.find(apiVersion, kindName);
        Optional<ConfigKind<?>> kind = ConfigKind.of(apiVersion, kindName);
        if (schema.isEmpty() && kind.isEmpty()) {
            return new Verdict(Outcome.UNRECOGNIZED, List.of(Finding.error("(object)",
                    "unrecognized type " + apiVersion + " " + kindName)));
        }
        List<Finding> findings = new ArrayList<>();
        List<String> mistyped = List.of();
        if (stages.contains(Stage.SCHEMA) && schema.isPresent()) {
            SchemaValidator.Report report = SchemaValidator.validate(schema.get(), object);
            findings.addAll(report.findings());
            mistyped = report.mistyped();
        } else if (kind.isPresent()) {
            IstioObjects.unknownTopLevelField(object)
                    .ifPresent(field -> findings.add(Finding.error(field, "unknown field \"" + field + "\"")));
        }
        if (stages.contains(Stage.SEMANTIC) && kind.isPresent()) {
            List<String> schemaErrors = findings.stream().filter(Finding::isError).map(Finding::path).toList();
            List<String> unreadable = mistyped;
            ValidationReport report = rules.validateRaw(kind.get(), namespace(object), object.get("spec"));
            for (Finding finding : report.findings()) {
                // the same field already refused by the schema, or under a value of the wrong type
                if (!schemaErrors.contains(finding.path()) && unreadable.stream().noneMatch(p -> within(finding.path(), p))) {
                    findings.add(finding);
                }
            }
        }
        return new Verdict(Outcome.CHECKED, findings);
    }

    private static boolean within(String path, String ancestor) {
        return path.equals(ancestor) || path.startsWith(ancestor + ".") || path.startsWith(ancestor + "[");
    }

    private static String namespace(Map<String, Object> object) {
        if (object.get("metadata") instanceof Map<?, ?> meta && meta.get("namespace") instanceof String ns
                && !ns.isEmpty()) {
            return ns;
        }
        return "default";
    }
}
