package dev.mizzen.galley.validation;

import java.util.List;
import java.util.stream.Collectors;

/** Everything found in one object: all of it, not just the first problem. */
public record ValidationReport(List<Finding> findings) {
    public static final ValidationReport CLEAN = new ValidationReport(List.of());

    public ValidationReport {
        findings = List.copyOf(findings);
    }

    public List<Finding> errors() {
        return findings.stream().filter(Finding::isError).toList();
    }

    public List<Finding> warnings() {
        return findings.stream().filter(f -> !f.isError()).toList();
    }

    public boolean hasErrors() {
        return findings.stream().anyMatch(Finding::isError);
    }

    /** The findings of one severity on one line, for logs. */
    public static String describe(List<Finding> findings) {
        return findings.stream().map(Finding::toString).collect(Collectors.joining("; "));
    }
}
