package dev.mizzen.galley.validation;

import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.SpecReader;
import dev.mizzen.api.config.SpecReadException;

import java.util.List;

/**
 * Validates Istio config the way every entry point needs it (webhook, CLI, config store): reads the spec,
 * then runs the rules of its kind. Thread-safe and stateless.
 */
public interface ConfigValidator {
    /** The findings for a typed spec of {@code kind}. */
    ValidationReport validate(ConfigKind kind, String namespace, Object spec);

    /** Reads a raw spec tree and validates it; a spec that does not fit the types is one error. */
    default ValidationReport validateRaw(ConfigKind kind, String namespace, Object specTree) {
        Object spec;
        try {
            spec = SpecReader.read(kind, specTree);
        } catch (SpecReadException e) {
            return new ValidationReport(List.of(Finding.error(e.fieldPath(), e.detail())));
        }
        return validate(kind, namespace, spec);
    }
}
