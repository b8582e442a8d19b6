package dev.mizzen.pilot.networking.pgv;

import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;

import java.math.BigDecimal;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The rules of ordered values: the twelve numeric kinds, durations and timestamps
 * (const, lt, lte, gt, gte, in, not_in, ignore_empty). Values are compared as BigDecimal so unsigned
 * 64-bit and float values compare exactly. As in PGV, a lower bound above the upper bound means
 * "outside the range".
 */
final class OrderedRuleChecker {
    private OrderedRuleChecker() {
    }

    /** {@code kind} is the FieldRules case name: uint32, int64, double, fixed32, ... */
    static void number(String kind, Message rules, Object value, String path, Findings findings) {
        RuleFields.reportUnhandled(kind, rules, RuleKinds.NUMERIC, path, findings);
        boolean unsigned = kind.equals("uint32") || kind.equals("uint64") || kind.equals("fixed32")
                || kind.equals("fixed64");
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())
                || value instanceof Float fl && (fl.isNaN() || fl.isInfinite())) {
            findings.violation(path, "must be a finite number, got " + value);
            return;
        }
        Function<Object, BigDecimal> decimal = v -> toDecimal(v, unsigned);
        Function<Object, String> show = v -> v instanceof Float || v instanceof Double
                ? String.valueOf(v) : decimal.apply(v).toPlainString();
        BigDecimal v = decimal.apply(value);
        if ((Boolean) RuleFields.get(rules, "ignore_empty") && v.signum() == 0) {
            return;
        }
        check(rules, v, decimal, show, path, findings);
    }

    static void duration(Message rules, Duration value, String path, Findings findings) {
        RuleFields.reportUnhandled("duration", rules, RuleKinds.DURATION, path, findings);
        if (!Durations.isValid(value)) {
            findings.violation(path, "is not a valid duration");
            return;
        }
        check(rules, seconds(value.getSeconds(), value.getNanos()),
                d -> seconds(((Duration) d).getSeconds(), ((Duration) d).getNanos()),
                d -> Durations.toString((Duration) d), path, findings);
    }

    static void timestamp(Message rules, Timestamp value, String path, Findings findings) {
        RuleFields.reportUnhandled("timestamp", rules, RuleKinds.TIMESTAMP, path, findings);
        if (!Timestamps.isValid(value)) {
            findings.violation(path, "is not a valid timestamp");
            return;
        }
        check(rules, seconds(value.getSeconds(), value.getNanos()),
                t -> seconds(((Timestamp) t).getSeconds(), ((Timestamp) t).getNanos()),
                t -> Timestamps.toString((Timestamp) t), path, findings);
    }

    private static void check(Message rules, BigDecimal v, Function<Object, BigDecimal> decimal,
                              Function<Object, String> show, String path, Findings findings) {
        if (RuleFields.has(rules, "const") && v.compareTo(decimal.apply(RuleFields.get(rules, "const"))) != 0) {
            findings.violation(path, "must equal " + show.apply(RuleFields.get(rules, "const")));
        }
        range(rules, v, decimal, show, path, findings);
        if (RuleFields.has(rules, "in")
                && RuleFields.list(rules, "in").stream().noneMatch(x -> decimal.apply(x).compareTo(v) == 0)) {
            findings.violation(path, "must be in " + shows(RuleFields.list(rules, "in"), show));
        }
        if (RuleFields.has(rules, "not_in")
                && RuleFields.list(rules, "not_in").stream().anyMatch(x -> decimal.apply(x).compareTo(v) == 0)) {
            findings.violation(path, "must not be in " + shows(RuleFields.list(rules, "not_in"), show));
        }
    }

    private static void range(Message rules, BigDecimal v, Function<Object, BigDecimal> decimal,
                              Function<Object, String> show, String path, Findings findings) {
        String lowName = RuleFields.has(rules, "gt") ? "gt" : RuleFields.has(rules, "gte") ? "gte" : null;
        String highName = RuleFields.has(rules, "lt") ? "lt" : RuleFields.has(rules, "lte") ? "lte" : null;
        Bound low = lowName == null ? null : new Bound(decimal.apply(RuleFields.get(rules, lowName)),
                show.apply(RuleFields.get(rules, lowName)), lowName.equals("gte"));
        Bound high = highName == null ? null : new Bound(decimal.apply(RuleFields.get(rules, highName)),
                show.apply(RuleFields.get(rules, highName)), highName.equals("lte"));
        if (low != null && high != null) {
            boolean aboveLow = low.inclusive ? v.compareTo(low.value) >= 0 : v.compareTo(low.value) > 0;
            boolean belowHigh = high.inclusive ? v.compareTo(high.value) <= 0 : v.compareTo(high.value) < 0;
            if (high.value.compareTo(low.value) >= 0) {
                if (!(aboveLow && belowHigh)) {
                    findings.violation(path, "must be in range " + (low.inclusive ? "[" : "(") + low.shown + ", "
                            + high.shown + (high.inclusive ? "]" : ")"));
                }
            } else if (!(aboveLow || belowHigh)) {
                // PGV's exclusive range: gt above lt means the value must lie outside [lt, gt]
                findings.violation(path, "must be outside range " + (high.inclusive ? "(" : "[") + high.shown
                        + ", " + low.shown + (low.inclusive ? ")" : "]"));
            }
        } else if (low != null) {
            if (low.inclusive ? v.compareTo(low.value) < 0 : v.compareTo(low.value) <= 0) {
                findings.violation(path, "must be " + (low.inclusive ? ">= " : "> ") + low.shown);
            }
        } else if (high != null) {
            if (high.inclusive ? v.compareTo(high.value) > 0 : v.compareTo(high.value) >= 0) {
                findings.violation(path, "must be " + (high.inclusive ? "<= " : "< ") + high.shown);
            }
        }
    }

    private record Bound(BigDecimal value, String shown, boolean inclusive) {
    }

    private static BigDecimal toDecimal(Object v, boolean unsigned) {
        if (v instanceof Integer i) {
            return BigDecimal.valueOf(unsigned ? Integer.toUnsignedLong(i) : i);
        }
        if (v instanceof Long l) {
            return unsigned ? new BigDecimal(Long.toUnsignedString(l)) : BigDecimal.valueOf(l);
        }
        if (v instanceof Float f) {
            return new BigDecimal(f.doubleValue());
        }
        if (v instanceof Double d) {
            return new BigDecimal(d);
        }
        throw new IllegalArgumentException("not a number: " + v);
    }

    private static BigDecimal seconds(long seconds, int nanos) {
        return BigDecimal.valueOf(seconds).add(BigDecimal.valueOf(nanos, 9));
    }

    private static String shows(List<?> values, Function<Object, String> show) {
        return values.stream().map(show).collect(Collectors.joining(", ", "[", "]"));
    }
}
