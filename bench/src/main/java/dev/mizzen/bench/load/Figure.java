package dev.mizzen.bench.load;

/**
 * One printed figure: a key for the JSON, a label for the table, the value as a number (or text), how it
 * is shown, and the target it is held against, if any.
 *
 * @param value  a Number, or a String for descriptive rows
 * @param shown  the value as the table prints it (the same digits the JSON carries)
 * @param target the target in words, empty when there is none
 * @param met    whether the target is met; null when there is no target
 */
public record Figure(String key, String label, Object value, String shown, String target, Boolean met) {
    static Figure info(String key, String label, String text) {
        return new Figure(key, label, text, text, "", null);
    }

    static Figure number(String key, String label, double value, String unit, int decimals) {
        double rounded = round(value, decimals);
        return new Figure(key, label, decimals == 0 ? (Object) (long) rounded : (Object) rounded,
                format(rounded, decimals) + (unit.isEmpty() ? "" : " " + unit), "", null);
    }

    /** A figure held against an upper bound: met when {@code value <= limit} (and the value was measured). */
    static Figure atMost(String key, String label, double value, String unit, int decimals, double limit) {
        Figure f = number(key, label, value, unit, decimals);
        boolean measured = value >= 0;
        return new Figure(f.key, f.label, f.value, measured ? f.shown : "not reached",
                "<= " + format(limit, limit == Math.rint(limit) ? 0 : 1) + (unit.isEmpty() ? "" : " " + unit),
                measured && ((Number) f.value).doubleValue() <= limit);
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private static String format(double value, int decimals) {
        return String.format(java.util.Locale.ROOT, "%,." + decimals + "f", value);
    }
}
