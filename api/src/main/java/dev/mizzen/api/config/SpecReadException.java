package dev.mizzen.api.config;

import java.util.Objects;

/**
 * The {@code spec} of an Istio object does not fit its kind's types, e.g. a string where a number belongs.
 * {@link #getMessage()} reads {@code spec.http[0].route[1].weight: cannot read "abc" as an integer}.
 */
public final class SpecReadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String fieldPath;
    private final String detail;

    public SpecReadException(String fieldPath, String detail, Throwable cause) {
        super(Objects.requireNonNull(fieldPath, "fieldPath") + ": " + Objects.requireNonNull(detail, "detail"),
                cause);
        this.fieldPath = fieldPath;
        this.detail = detail;
    }

    /** Where the problem is, in Istio's form: {@code spec}, {@code spec.hosts[2]}, {@code spec.http[0].timeout}. */
    public String fieldPath() {
        return fieldPath;
    }

    /** What is wrong there, without the path, e.g. {@code cannot read "abc" as an integer}. */
    public String detail() {
        return detail;
    }
}
