package dev.mizzen.galley.validation;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the findings of one validation call. Not thread-safe: each call of
 * {@link IstioValidator#validate} creates its own and nothing else sees it until {@link #report()}.
 */
final class Findings {
    private final List<Finding> list = new ArrayList<>();

    void error(FieldPath at, String message) {
        list.add(Finding.error(at.text(), message));
    }

    void warning(FieldPath at, String message) {
        list.add(Finding.warning(at.text(), message));
    }

    /** Adds an error when {@code message} is not null: for rule helpers that return null when all is well. */
    void errorIf(FieldPath at, String message) {
        if (message != null) {
            error(at, message);
        }
    }

    int errorCount() {
        return (int) list.stream().filter(Finding::isError).count();
    }

    ValidationReport report() {
        return new ValidationReport(list);
    }
}
