package dev.mizzen.galley.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * The schema of one kind at one version, as its CRD declares it, with the CEL environment of its rules.
 *
 * @param group  e.g. {@code networking.istio.io}
 * @param version e.g. {@code v1}
 * @param kind   e.g. {@code VirtualService}
 * @param root   the version's {@code openAPIV3Schema}
 */
public record KindSchema(String group, String version, String kind, StructuralSchema root, CelEnvironment cel) {

    public String apiVersion() {
        return group + "/" + version;
    }

    /** Every CEL rule of this schema with the node that holds it, in schema order. */
    public List<RuleAt> rules() {
        List<RuleAt> out = new ArrayList<>();
        collect(root, "", out);
        return out;
    }

    /** Compiles every rule; the messages of those that do not compile (none, for the CRDs we ship). */
    public List<String> compileErrors() {
        List<String> errors = new ArrayList<>();
        for (RuleAt at : rules()) {
            String error = at.rule().compileError(cel, at.node());
            if (error != null) {
                errors.add(kind + "@" + version + " " + at.path() + ": " + at.rule() + ": " + error);
            }
        }
        return errors;
    }

    private static void collect(StructuralSchema node, String path, List<RuleAt> out) {
        node.rules().forEach(rule -> out.add(new RuleAt(path, node, rule)));
        node.properties().forEach((name, child) -> collect(child, path.isEmpty() ? name : path + "." + name, out));
        if (node.items() != null) {
            collect(node.items(), path + "[*]", out);
        }
        if (node.additionalProperties() != null) {
            collect(node.additionalProperties(), path + "[*]", out);
        }
        for (StructuralSchema junction : node.junctions().allOf()) {
            collect(junction, path, out);
        }
    }

    /** A rule and where it sits. */
    public record RuleAt(String path, StructuralSchema node, CelRule rule) {
    }
}
