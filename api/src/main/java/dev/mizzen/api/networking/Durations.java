package dev.mizzen.api.networking;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Parses the duration strings of Istio config ({@code timeout: 10s}, {@code interval: 1m30s}). Istio's CRDs
 * check them with CEL's {@code duration()}, which takes Go's duration syntax: an optional sign, then one or
 * more decimal numbers each with a unit ({@code ns}, {@code us}/{@code µs}, {@code ms}, {@code s}, {@code m},
 * {@code h}), e.g. {@code 1.5s}, {@code 2h45m}, {@code 300us}; {@code 0} alone needs no unit. Fractions below
 * a nanosecond are truncated; totals beyond Go's range (about 292 years) are rejected. Whether a value is
 * allowed where it is used (e.g. at least 1 ms) is the validator's business.
 */
public final class Durations {
    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException with a message naming the input and what is wrong with it
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("invalid duration: null");
        }
        if (text.isEmpty()) {
            throw invalid(text, "empty");
        }
        int i = 0;
        boolean negative = false;
        if (text.charAt(0) == '-' || text.charAt(0) == '+') {
            negative = text.charAt(0) == '-';
            i++;
        }
        if (text.length() - i == 1 && text.charAt(i) == '0') {
            return Duration.ZERO;
        }
        if (i == text.length()) {
            throw invalid(text, "a number must follow the sign");
        }
        BigDecimal nanos = BigDecimal.ZERO;
        while (i < text.length()) {
            int numberStart = i;
            while (i < text.length() && isDigit(text.charAt(i))) {
                i++;
            }
            boolean hasInteger = i > numberStart;
            boolean hasFraction = false;
            if (i < text.length() && text.charAt(i) == '.') {
                i++;
                int fractionStart = i;
                while (i < text.length() && isDigit(text.charAt(i))) {
                    i++;
                }
                hasFraction = i > fractionStart;
            }
            if (!hasInteger && !hasFraction) {
                throw invalid(text, "expected a number at position " + numberStart);
            }
            BigDecimal number = new BigDecimal(normalize(text.substring(numberStart, i)));
            int unitStart = i;
            while (i < text.length() && !isDigit(text.charAt(i)) && text.charAt(i) != '.') {
                i++;
            }
            if (unitStart == i) {
                throw invalid(text, "missing unit after " + text.substring(numberStart, i)
                        + " (use ns, us, ms, s, m or h)");
            }
            nanos = nanos.add(number.multiply(BigDecimal.valueOf(unitNanos(text, text.substring(unitStart, i)))));
        }
        BigInteger whole = nanos.setScale(0, RoundingMode.DOWN).toBigIntegerExact();
        if (whole.compareTo(MAX_NANOS) > 0) {
            throw invalid(text, "out of range");
        }
        long value = whole.longValueExact();
        return Duration.ofNanos(negative ? -value : value);
    }

    private static long unitNanos(String text, String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw invalid(text, "unknown unit \"" + unit + "\" (use ns, us, ms, s, m or h)");
        };
    }

    /** "5." and ".5" are valid in Go; BigDecimal wants digits on both sides. */
    private static String normalize(String number) {
        String n = number.startsWith(".") ? "0" + number : number;
        return n.endsWith(".") ? n + "0" : n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException invalid(String text, String reason) {
        return new IllegalArgumentException("invalid duration \"" + text + "\": " + reason);
    }
}
