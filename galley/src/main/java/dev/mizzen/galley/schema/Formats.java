package dev.mizzen.galley.schema;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;

/**
 * The string formats the CRDs we ship use and the apiserver checks: {@code date-time} (RFC 3339) and
 * {@code byte} (standard base64). Numeric formats ({@code int32}, {@code double}) only name the type; the
 * apiserver does not check them as ranges, so neither do we. Unknown formats are not checked, as there.
 */
final class Formats {
    private Formats() {
    }

    static Optional<String> problem(String format, String value) {
        if (format == null) {
            return Optional.empty();
        }
        switch (format) {
            case "date-time" -> {
                try {
                    OffsetDateTime.parse(value);
                    return Optional.empty();
                } catch (DateTimeParseException e) {
                    return Optional.of("must be an RFC 3339 date-time, such as 2026-01-02T15:04:05Z");
                }
            }
            case "byte" -> {
                try {
                    Base64.getDecoder().decode(value);
                    return Optional.empty();
                } catch (IllegalArgumentException e) {
                    return Optional.of("must be base64-encoded");
                }
            }
            default -> {
                return Optional.empty();
            }
        }
    }
}
