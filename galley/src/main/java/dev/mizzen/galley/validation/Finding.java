package dev.mizzen.galley.validation;

import java.util.Objects;

/**
 * One problem found in an object.
 *
 * @param path    the field, in Istio's form: {@code spec.http[0].route[1].weight}
 * @param message a plain sentence about what is wrong
 */
public record Finding(Severity severity, String path, String message) {
    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    public static Finding error(String path, String message) {
        return new Finding(Severity.ERROR, path, message);
    }

    public static Finding warning(String path, String message) {
        return new Finding(Severity.WARNING, path, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
