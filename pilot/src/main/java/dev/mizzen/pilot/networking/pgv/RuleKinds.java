package dev.mizzen.pilot.networking.pgv;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The PGV rule fields this package evaluates, per rules message. Any other set field of a rules message
 * (string.email, string.uri, string.uri_ref, timestamp.lt_now, timestamp.gt_now, timestamp.within, or
 * fields added to validate.proto later) is reported as an unchecked rule.
 */
final class RuleKinds {
    static final Set<String> NUMERIC = Set.of("const", "lt", "lte", "gt", "gte", "in", "not_in", "ignore_empty");
    static final Set<String> STRING = Set.of("const", "len", "min_len", "max_len", "len_bytes", "min_bytes",
            "max_bytes", "pattern", "prefix", "suffix", "contains", "not_contains", "in", "not_in", "hostname", "ip",
            "ipv4", "ipv6", "address", "uuid", "well_known_regex", "strict", "ignore_empty");
    static final Set<String> BYTES = Set.of("const", "len", "min_len", "max_len", "pattern", "prefix", "suffix",
            "contains", "in", "not_in", "ip", "ipv4", "ipv6", "ignore_empty");
    static final Set<String> BOOL = Set.of("const");
    static final Set<String> ENUM = Set.of("const", "defined_only", "in", "not_in");
    static final Set<String> MESSAGE = Set.of("required", "skip");
    static final Set<String> REPEATED = Set.of("min_items", "max_items", "unique", "items", "ignore_empty");
    static final Set<String> MAP = Set.of("min_pairs", "max_pairs", "no_sparse", "keys", "values", "ignore_empty");
    static final Set<String> ANY = Set.of("required", "in", "not_in");
    static final Set<String> DURATION = Set.of("required", "const", "lt", "lte", "gt", "gte", "in", "not_in");
    static final Set<String> TIMESTAMP = Set.of("required", "const", "lt", "lte", "gt", "gte");
    static final Set<String> NUMERIC_KINDS = Set.of("float", "double", "int32", "int64", "uint32", "uint64",
            "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64");

    private RuleKinds() {
    }

    /** Every evaluated rule as {@code kind.field} ("string.min_len", "uint32.lte", ...), plus the
     * message-level ones: "oneof.required", "message.disabled", "message.ignored". */
    static Set<String> checked() {
        Set<String> all = new TreeSet<>();
        Map.of("string", STRING, "bytes", BYTES, "bool", BOOL, "enum", ENUM, "message", MESSAGE,
                "repeated", REPEATED, "map", MAP, "any", ANY, "duration", DURATION, "timestamp", TIMESTAMP)
                .forEach((kind, fields) -> fields.forEach(f -> all.add(kind + "." + f)));
        NUMERIC_KINDS.forEach(kind -> NUMERIC.forEach(f -> all.add(kind + "." + f)));
        all.addAll(Set.of("oneof.required", "message.disabled", "message.ignored"));
        return all;
    }
}
