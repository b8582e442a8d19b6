package dev.mizzen.galley.validation;

import dev.mizzen.api.networking.Percent;

/** Percent fields: integer ones in 0..100, fractional ones ({@code Percent}) 0 or 0.0001..100. */
final class Percentages {
    private static final double SMALLEST = 0.0001;

    private Percentages() {
    }

    static void checkInteger(Findings out, FieldPath at, Integer value) {
        if (value != null && (value < 0 || value > 100)) {
            out.error(at, "percentage " + value + " is not in range 0..100");
        }
    }

    static void checkFraction(Findings out, FieldPath at, Percent percent) {
        if (percent == null) {
            return;
        }
        double v = percent.value() == null ? 0 : percent.value();
        if (v < 0 || v > 100 || (v > 0 && v < SMALLEST)) {
            out.error(at.field("value"), "percentage " + v + " is neither 0.0, nor in range [0.0001, 100.0]");
        }
    }
}
