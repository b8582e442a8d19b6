package dev.mizzen.galley.schema;

import dev.cel.common.CelValidationException;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

import java.util.Map;
import java.util.Objects;

/**
 * One {@code x-kubernetes-validations} entry of a schema node. Compiled on first use, since a command that
 * checks one object needs few of the CRDs' ~400 rules; the compiled program is kept (it is immutable).
 * Rules that read {@code oldSelf} are transition rules, which the apiserver checks on updates only: never
 * here, where there is no old object.
 *
 * <p>Thread-safe: compilation is idempotent and the result is published through a volatile field.
 */
public final class CelRule {
    private final String rule;
    private final String message;
    private final String fieldPath;
    private volatile Compiled compiled;

    CelRule(String rule, String message, String fieldPath) {
        this.rule = Objects.requireNonNull(rule, "rule");
        this.message = message;
        this.fieldPath = fieldPath;
    }

    public String rule() {
        return rule;
    }

    /** What the apiserver says when the rule fails: its message, else the rule itself. */
    public String message() {
        return message != null && !message.isBlank() ? message : "failed rule: " + rule;
    }

    /** The rule's {@code fieldPath} (relative to its node, e.g. {@code .port}), or null. */
    public String fieldPath() {
        return fieldPath;
    }

    boolean isTransitionRule() {
        return rule.contains("oldSelf");
    }

    /** The compile error, or null when the rule compiles in {@code env} for {@code node}. */
    String compileError(CelEnvironment env, StructuralSchema node) {
        return compiled(env, node).error();
    }

    /**
     * Evaluates the rule on {@code self}, a CEL value of the node's type.
     *
     * @return null when the rule holds, else why it does not (its message, with the evaluation error if any)
     */
    String evaluate(CelEnvironment env, StructuralSchema node, Object self) {
        Compiled program = compiled(env, node);
        if (program.error() != null) {
            return "the CRD's rule does not compile: " + program.error();
        }
        try {
            Object result = program.program().eval(Map.of("self", self));
            return Boolean.TRUE.equals(result) ? null : message();
        } catch (CelEvaluationException | RuntimeException e) {
            return message() + " (the rule could not be evaluated: " + firstLine(e.getMessage()) + ")";
        }
    }

    private Compiled compiled(CelEnvironment env, StructuralSchema node) {
        Compiled c = compiled;
        if (c == null) {
            try {
                c = new Compiled(env.compile(rule, node), null);
            } catch (CelValidationException | CelEvaluationException | RuntimeException e) {
                c = new Compiled(null, firstLine(e.getMessage()));
            }
            compiled = c;
        }
        return c;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unknown error";
        }
        String line = text.lines().findFirst().orElse(text);
        return line.replaceFirst("^evaluation error( at <input>:\\d+)?: ", "");
    }

    @Override
    public String toString() {
        return rule;
    }

    private record Compiled(CelRuntime.Program program, String error) {
    }
}
