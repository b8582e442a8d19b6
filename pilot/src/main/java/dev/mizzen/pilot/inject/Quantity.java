package dev.mizzen.pilot.inject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity ({@code 100m}, {@code 1024Mi}, {@code 1e3}) and its canonical form, the one
 * the apiserver (and Istio's injector, through Go's typed round trip) writes back: {@code 2000m} becomes
 * {@code 2}, {@code 1024Mi} becomes {@code 1Gi}. Parsing also validates the resource annotations.
 *
 * @param value  the amount, rounded up to nano units as Kubernetes does
 * @param format the suffix family the quantity was written in; canonical output keeps it
 */
record Quantity(BigDecimal value, Format format) {
    enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

    private static final Pattern SYNTAX = Pattern.compile("([+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+))(.*)");
    private static final Pattern EXPONENT = Pattern.compile("[eE]([+-]?[0-9]+)");
    private static final List<String> BINARY = List.of("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei");
    private static final List<String> DECIMAL = List.of("n", "u", "m", "", "k", "M", "G", "T", "P", "E");
    private static final BigDecimal KIBI = BigDecimal.valueOf(1024);
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    /** Parses a quantity; throws IllegalArgumentException with Kubernetes' wording when it is not one. */
    static Quantity parse(String text) {
        String s = text == null ? "" : text.trim();
        Matcher m = SYNTAX.matcher(s);
        if (s.isEmpty() || !m.matches()) {
            throw invalid(text);
        }
        BigDecimal number = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
        String suffix = m.group(2);
        Quantity q;
        if (BINARY.contains(suffix) && !suffix.isEmpty()) {
            q = new Quantity(number.multiply(KIBI.pow(BINARY.indexOf(suffix))), Format.BINARY_SI);
        } else if (DECIMAL.contains(suffix)) {
            q = new Quantity(number.scaleByPowerOfTen(3 * (DECIMAL.indexOf(suffix) - 3)), Format.DECIMAL_SI);
        } else {
            Matcher e = EXPONENT.matcher(suffix);
            if (!e.matches() || e.group(1).length() > 6) {
                throw invalid(text);
            }
            q = new Quantity(number.scaleByPowerOfTen(Integer.parseInt(e.group(1))), Format.DECIMAL_EXPONENT);
        }
        return new Quantity(q.value.setScale(9, RoundingMode.CEILING).stripTrailingZeros(), q.format);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("quantity '" + text
                + "' must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    }

    /** The canonical text, as Kubernetes' {@code Quantity.String()} writes it. */
    String canonical() {
        if (value.signum() == 0) {
            return "0";
        }
        Format f = format;
        if (f == Format.BINARY_SI && (value.abs().compareTo(KIBI) < 0 || !isInteger(value))) {
            f = Format.DECIMAL_SI; // small or fractional binary amounts are shown in decimal, without rounding
        }
        if (f == Format.BINARY_SI) {
            BigInteger mantissa = value.toBigIntegerExact();
            int power = 0;
            BigInteger k = BigInteger.valueOf(1024);
            while (power < BINARY.size() - 1 && mantissa.mod(k).signum() == 0) {
                mantissa = mantissa.divide(k);
                power++;
            }
            return mantissa + BINARY.get(power);
        }
        // smallest multiple-of-3 exponent (from nano up) that makes the mantissa whole, then fold 1000s
        int exponent = -9;
        BigDecimal mantissa = value.scaleByPowerOfTen(9);
        while (mantissa.remainder(THOUSAND).signum() == 0 && exponent < 18) {
            mantissa = mantissa.divide(THOUSAND);
            exponent += 3;
        }
        String digits = mantissa.setScale(0, RoundingMode.UNNECESSARY).toPlainString();
        if (f == Format.DECIMAL_EXPONENT) {
            return exponent == 0 ? digits : digits + "e" + exponent;
        }
        return digits + DECIMAL.get(exponent / 3 + 3);
    }

    private static boolean isInteger(BigDecimal v) {
        return v.signum() == 0 || v.scale() <= 0 || v.stripTrailingZeros().scale() <= 0;
    }
}
