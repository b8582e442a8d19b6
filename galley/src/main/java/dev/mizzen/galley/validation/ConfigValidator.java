package dev.mizzen.galley.validation;

import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.SpecReadException;
import dev.mizzen.api.config.SpecReader;

import java.util.List;

/**
 * Validates Istio config the way every entry point needs it (webhook, CLI, config store): reads the spec,
 * then runs the rules of its kind. Thread-safe and stateless.
 */
public interface ConfigValidator {
    /** The findings for a typed spec of {@code kind}. */
    <S> ValidationReport validate(ConfigKind<S> kind, String namespace, S spec);

    /** The same for a spec whose kind is known only at run time; it must be that kind's record. */
    default ValidationReport validateSpec(ConfigKind<?> kind, String namespace, Object spec) {
        return validateCast(kind, namespace, spec);
    }

    private <S> ValidationReport validateCast(ConfigKind<S> kind, String namespace, Object spec) {
        return validate(kind, namespace, kind.cast(spec));
    }

    /** Reads a raw spec tree and validates it; a spec that does not fit the types is one error. */
    default <S> ValidationReport validateRaw(ConfigKind<S> kind, String namespace, Object specTree) {
        S spec;
        try {
            spec = SpecReader.read(kind, specTree);
        } catch (SpecReadException e) {
            return new ValidationReport(List.of(Finding.error(e.fieldPath(), e.detail())));
        }
        return validate(kind, namespace, spec);
    }
}
