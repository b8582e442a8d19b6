package dev.mizzen.pilot.networking.pgv;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.pgv.validate.Validate.AnyRules;
import io.envoyproxy.pgv.validate.Validate.BoolRules;
import io.envoyproxy.pgv.validate.Validate.BytesRules;
import io.envoyproxy.pgv.validate.Validate.DoubleRules;
import io.envoyproxy.pgv.validate.Validate.DurationRules;
import io.envoyproxy.pgv.validate.Validate.EnumRules;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import io.envoyproxy.pgv.validate.Validate.Fixed32Rules;
import io.envoyproxy.pgv.validate.Validate.FloatRules;
import io.envoyproxy.pgv.validate.Validate.Int32Rules;
import io.envoyproxy.pgv.validate.Validate.Int64Rules;
import io.envoyproxy.pgv.validate.Validate.KnownRegex;
import io.envoyproxy.pgv.validate.Validate.MapRules;
import io.envoyproxy.pgv.validate.Validate.MessageRules;
import io.envoyproxy.pgv.validate.Validate.RepeatedRules;
import io.envoyproxy.pgv.validate.Validate.SFixed64Rules;
import io.envoyproxy.pgv.validate.Validate.SInt32Rules;
import io.envoyproxy.pgv.validate.Validate.StringRules;
import io.envoyproxy.pgv.validate.Validate.TimestampRules;
import io.envoyproxy.pgv.validate.Validate.UInt32Rules;
import io.envoyproxy.pgv.validate.Validate.UInt64Rules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One good and one bad value per PGV rule kind, on synthetic messages ({@link Probe}). */
class PgvRuleKindsTest {
    private static final String DURATION = ".google.protobuf.Duration";
    private static final String TIMESTAMP = ".google.protobuf.Timestamp";
    private static final String ANY = ".google.protobuf.Any";
    private final PgvValidator validator = PgvValidator.forEnvoy();

    record Case(String rule, Message good, Message bad, String expected) {
        @Override
        public String toString() {
            return rule;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"strings", "numbers", "enumsAndBools", "collections", "wellKnownTypes"})
    void goodPassesBadIsReported(Case c) {
        assertEquals(List.of(), violations(c.good()), "good value of " + c.rule());
        assertEquals(List.of(c.expected()), violations(c.bad()), "bad value of " + c.rule());
    }

    static Stream<Case> strings() {
        return Stream.of(
                str("string.min_len", s().setMinLen(1), "a", "", "length must be >= 1"),
                str("string.max_len (code points)", s().setMaxLen(3), "ééé", "abcd", "length must be <= 3"),
                str("string.len", s().setLen(2), "ab", "abc", "length must be 2"),
                str("string.min_bytes", s().setMinBytes(4), "ééé", "abc", "length must be >= 4 bytes"),
                str("string.max_bytes", s().setMaxBytes(4), "abcd", "ééé", "length must be <= 4 bytes"),
                str("string.len_bytes", s().setLenBytes(2), "é", "e", "length must be 2 bytes"),
                str("string.const", s().setConst("x"), "x", "y", "must equal \"x\""),
                str("string.pattern (RE2)", s().setPattern("^[a-z]+$"), "abc", "ab1", "must match pattern ^[a-z]+$"),
                str("string.prefix", s().setPrefix("/"), "/a", "a", "must start with \"/\""),
                str("string.suffix", s().setSuffix(".com"), "a.com", "a.org", "must end with \".com\""),
                str("string.contains", s().setContains("@"), "a@b", "ab", "must contain \"@\""),
                str("string.not_contains", s().setNotContains(" "), "ab", "a b", "must not contain \" \""),
                str("string.in", s().addIn("GET").addIn("POST"), "GET", "PUT", "must be in [GET, POST]"),
                str("string.not_in", s().addNotIn("*"), "a", "*", "must not be in [*]"),
                str("string.ignore_empty", s().setMinLen(3).setIgnoreEmpty(true), "", "ab", "length must be >= 3"),
                str("string HTTP_HEADER_NAME strict", s().setWellKnownRegex(KnownRegex.HTTP_HEADER_NAME),
                        ":authority", "end user", "must be a valid HTTP header name"),
                str("string HTTP_HEADER_NAME not strict",
                        s().setWellKnownRegex(KnownRegex.HTTP_HEADER_NAME).setStrict(false),
                        "end user", "end\nuser", "must not contain NUL, CR or LF"),
                str("string HTTP_HEADER_VALUE strict", s().setWellKnownRegex(KnownRegex.HTTP_HEADER_VALUE),
                        "a\tb", "a\u0001b", "must be a valid HTTP header value"),
                str("string.hostname", s().setHostname(true), "reviews.default", "-bad", "must be a valid hostname"),
                str("string.ip", s().setIp(true), "::1", "10.0.0", "must be a valid IP address"),
                str("string.ipv4", s().setIpv4(true), "10.0.0.1", "::1", "must be a valid IPv4 address"),
                str("string.ipv6", s().setIpv6(true), "fe80::1", "10.0.0.1", "must be a valid IPv6 address"),
                str("string.address", s().setAddress(true), "10.0.0.1", "a b", "must be a valid hostname or IP address"),
                str("string.uuid", s().setUuid(true), "123e4567-e89b-12d3-a456-426614174000", "123",
                        "must be a valid UUID"),
                new Case("bytes.min_len", bytes(b().setMinLen(2), "ab"), bytes(b().setMinLen(2), "a"),
                        "probe.f: length must be >= 2 bytes"),
                new Case("bytes.prefix", bytes(b().setPrefix(ByteString.copyFromUtf8("x")), "xy"),
                        bytes(b().setPrefix(ByteString.copyFromUtf8("x")), "yx"), "probe.f: must start with the prefix bytes"),
                new Case("bytes.contains", bytes(b().setContains(ByteString.copyFromUtf8("bc")), "abcd"),
                        bytes(b().setContains(ByteString.copyFromUtf8("bc")), "acbd"),
                        "probe.f: must contain the given bytes"),
                new Case("bytes.ipv4", bytes(b().setIpv4(true), "abcd"), bytes(b().setIpv4(true), "abc"),
                        "probe.f: must be a valid IPv4 address in bytes"));
    }

    static Stream<Case> numbers() {
        return Stream.of(
                num("uint32.const", Type.TYPE_UINT32, r().setUint32(UInt32Rules.newBuilder().setConst(3)), 3, 4,
                        "must equal 3"),
                num("uint32.lt", Type.TYPE_UINT32, r().setUint32(UInt32Rules.newBuilder().setLt(10)), 9, 10,
                        "must be < 10"),
                num("uint32.lte (unsigned)", Type.TYPE_UINT32, r().setUint32(UInt32Rules.newBuilder().setLte(65535)),
                        65535, -1, "must be <= 65535"),
                num("uint32.gt", Type.TYPE_UINT32, r().setUint32(UInt32Rules.newBuilder().setGt(0)), 1, 0,
                        "must be > 0"),
                num("uint32.gte", Type.TYPE_UINT32, r().setUint32(UInt32Rules.newBuilder().setGte(1)), 1, 0,
                        "must be >= 1"),
                num("uint32.in", Type.TYPE_UINT32, r().setUint32(UInt32Rules.newBuilder().addIn(1).addIn(2)), 2, 3,
                        "must be in [1, 2]"),
                num("uint32.not_in", Type.TYPE_UINT32, r().setUint32(UInt32Rules.newBuilder().addNotIn(0)), 1, 0,
                        "must not be in [0]"),
                num("uint32 gt+lte range", Type.TYPE_UINT32, r().setUint32(UInt32Rules.newBuilder().setGt(0)
                        .setLte(8192)), 8192, 8193, "must be in range (0, 8192]"),
                num("int32 exclusive range (gt above lt)", Type.TYPE_INT32, r().setInt32(Int32Rules.newBuilder()
                        .setGt(10).setLt(0)), -1, 5, "must be outside range [0, 10]"),
                num("int32.ignore_empty", Type.TYPE_INT32, r().setInt32(Int32Rules.newBuilder().setGte(5)
                        .setIgnoreEmpty(true)), 0, 4, "must be >= 5"),
                num("uint64.lte (unsigned)", Type.TYPE_UINT64, r().setUint64(UInt64Rules.newBuilder().setLte(5)), 5L,
                        -1L, "must be <= 5"),
                num("int64.gt", Type.TYPE_INT64, r().setInt64(Int64Rules.newBuilder().setGt(-1)), 0L, -1L,
                        "must be > -1"),
                num("sint32.lte", Type.TYPE_SINT32, r().setSint32(SInt32Rules.newBuilder().setLte(-1)), -1, 0,
                        "must be <= -1"),
                num("fixed32.gte", Type.TYPE_FIXED32, r().setFixed32(Fixed32Rules.newBuilder().setGte(2)), 2, 1,
                        "must be >= 2"),
                num("sfixed64.const", Type.TYPE_SFIXED64, r().setSfixed64(SFixed64Rules.newBuilder().setConst(7)),
                        7L, 8L, "must equal 7"),
                num("double gte+lte", Type.TYPE_DOUBLE, r().setDouble(DoubleRules.newBuilder().setGte(0).setLte(100)),
                        100.0, 100.5, "must be in range [0.0, 100.0]"),
                num("double NaN", Type.TYPE_DOUBLE, r().setDouble(DoubleRules.newBuilder().setGte(0)), 0.0,
                        Double.NaN, "must be a finite number, got NaN"),
                num("float.gt", Type.TYPE_FLOAT, r().setFloat(FloatRules.newBuilder().setGt(0.5f)), 0.75f, 0.5f,
                        "must be > 0.5"));
    }

    static Stream<Case> enumsAndBools() {
        FieldRules definedOnly = r().setEnum(EnumRules.newBuilder().setDefinedOnly(true)).build();
        FieldRules in = r().setEnum(EnumRules.newBuilder().addIn(1).addIn(2)).build();
        FieldRules notIn = r().setEnum(EnumRules.newBuilder().addNotIn(0)).build();
        FieldRules constant = r().setEnum(EnumRules.newBuilder().setConst(2)).build();
        FieldRules boolConst = r().setBool(BoolRules.newBuilder().setConst(true)).build();
        return Stream.of(
                new Case("enum.defined_only", Probe.enumeration(definedOnly, 2), Probe.enumeration(definedOnly, 7),
                        "probe.f: value 7 is not a defined Color"),
                new Case("enum.in", Probe.enumeration(in, 1), Probe.enumeration(in, 0), "probe.f: must be in [1, 2]"),
                new Case("enum.not_in", Probe.enumeration(notIn, 1), Probe.enumeration(notIn, 0),
                        "probe.f: must not be in [0]"),
                new Case("enum.const", Probe.enumeration(constant, 2), Probe.enumeration(constant, 1),
                        "probe.f: must equal 2"),
                new Case("bool.const", Probe.scalar(Type.TYPE_BOOL, boolConst, true),
                        Probe.scalar(Type.TYPE_BOOL, boolConst, false), "probe.f: must equal true"));
    }

    static Stream<Case> collections() {
        return Stream.of(
                list("repeated.min_items", rep().setMinItems(1), List.of("a"), List.of(),
                        "probe.f: must have at least 1 item(s)"),
                list("repeated.max_items", rep().setMaxItems(1), List.of("a"), List.of("a", "b"),
                        "probe.f: must have at most 1 item(s)"),
                list("repeated.unique", rep().setUnique(true), List.of("a", "b"), List.of("a", "a"),
                        "probe.f[1]: items must be unique"),
                list("repeated.items", rep().setItems(r().setString(s().setMinLen(1))), List.of("a"), List.of("a", ""),
                        "probe.f[1]: length must be >= 1"),
                list("repeated.ignore_empty", rep().setMinItems(2).setIgnoreEmpty(true), List.of(), List.of("a"),
                        "probe.f: must have at least 2 item(s)"),
                map("map.min_pairs", MapRules.newBuilder().setMinPairs(1), Map.of("a", "x"), Map.of(),
                        "probe.f: must have at least 1 pair(s)"),
                map("map.max_pairs", MapRules.newBuilder().setMaxPairs(1), Map.of("a", "x"), Map.of("a", "x", "b", "y"),
                        "probe.f: must have at most 1 pair(s)"),
                map("map.keys", MapRules.newBuilder().setKeys(r().setString(s().setMinLen(2))), Map.of("ab", "x"),
                        Map.of("a", "x"), "probe.f[a] (key): length must be >= 2"),
                map("map.values", MapRules.newBuilder().setValues(r().setString(s().setPrefix("/"))), Map.of("a", "/x"),
                        Map.of("a", "x"), "probe.f[a]: must start with \"/\""),
                map("map.no_sparse (never sparse in Java) + min_pairs", MapRules.newBuilder().setNoSparse(true)
                        .setMinPairs(1), Map.of("a", "x"), Map.of(), "probe.f: must have at least 1 pair(s)"));
    }

    static Stream<Case> wellKnownTypes() {
        FieldRules durationRequired = r().setDuration(DurationRules.newBuilder().setRequired(true)).build();
        FieldRules messageRequired = r().setMessage(MessageRules.newBuilder().setRequired(true)).build();
        FieldRules anyRequired = r().setAny(AnyRules.newBuilder().setRequired(true)).build();
        FieldRules anyIn = r().setAny(AnyRules.newBuilder().addIn("type.googleapis.com/google.protobuf.Duration"))
                .build();
        FieldRules anyNotIn = r().setAny(AnyRules.newBuilder().addNotIn("type.googleapis.com/google.protobuf.Duration"))
                .build();
        FieldRules tsRequired = r().setTimestamp(TimestampRules.newBuilder().setRequired(true)).build();
        FieldRules tsGt = r().setTimestamp(TimestampRules.newBuilder().setGt(ts(1000))).build();
        FieldRules wrapperLte = r().setUint32(UInt32Rules.newBuilder().setLte(100)).build();
        FieldRules wrapperMinLen = r().setString(s().setMinLen(1)).build();
        FieldRules wrapperBool = r().setBool(BoolRules.newBuilder().setConst(false)).build();
        return Stream.of(
                new Case("message.required", Probe.message(DURATION, messageRequired, seconds(1)),
                        Probe.message(DURATION, messageRequired, null), "probe.f: is required"),
                new Case("duration.required", Probe.message(DURATION, durationRequired, seconds(0)),
                        Probe.message(DURATION, durationRequired, null), "probe.f: is required"),
                dur("duration.gt", DurationRules.newBuilder().setGt(seconds(0)), seconds(1), seconds(0), "must be > 0s"),
                dur("duration.gte 1ms", DurationRules.newBuilder().setGte(Duration.newBuilder().setNanos(1_000_000)),
                        Duration.newBuilder().setNanos(1_000_000).build(), Duration.newBuilder().setNanos(1).build(),
                        "must be >= 0.001s"),
                dur("duration.lt", DurationRules.newBuilder().setLt(seconds(10)), seconds(9), seconds(10),
                        "must be < 10s"),
                dur("duration.lte", DurationRules.newBuilder().setLte(seconds(10)), seconds(10), seconds(11),
                        "must be <= 10s"),
                dur("duration.const", DurationRules.newBuilder().setConst(seconds(5)), seconds(5), seconds(6),
                        "must equal 5s"),
                dur("duration.in", DurationRules.newBuilder().addIn(seconds(1)), seconds(1), seconds(2),
                        "must be in [1s]"),
                dur("duration.not_in", DurationRules.newBuilder().addNotIn(seconds(1)), seconds(2), seconds(1),
                        "must not be in [1s]"),
                dur("duration valid range", DurationRules.newBuilder().setGte(seconds(0)), seconds(1),
                        Duration.newBuilder().setSeconds(1).setNanos(-5).build(), "is not a valid duration"),
                new Case("timestamp.required", Probe.message(TIMESTAMP, tsRequired, ts(0)),
                        Probe.message(TIMESTAMP, tsRequired, null), "probe.f: is required"),
                new Case("timestamp.gt", Probe.message(TIMESTAMP, tsGt, ts(1001)), Probe.message(TIMESTAMP, tsGt, ts(1)),
                        "probe.f: must be > 1970-01-01T00:16:40Z"),
                new Case("any.required", Probe.message(ANY, anyRequired, Any.pack(seconds(1))),
                        Probe.message(ANY, anyRequired, null), "probe.f: is required"),
                new Case("any.in", Probe.message(ANY, anyIn, Any.pack(seconds(1))),
                        Probe.message(ANY, anyIn, Any.pack(ts(1))), "probe.f: type URL "
                        + "type.googleapis.com/google.protobuf.Timestamp must be in "
                        + "[type.googleapis.com/google.protobuf.Duration]"),
                new Case("any.not_in", Probe.message(ANY, anyNotIn, Any.pack(ts(1))),
                        Probe.message(ANY, anyNotIn, Any.pack(seconds(1))), "probe.f: type URL "
                        + "type.googleapis.com/google.protobuf.Duration must not be in "
                        + "[type.googleapis.com/google.protobuf.Duration]"),
                new Case("UInt32Value wrapper", Probe.message(".google.protobuf.UInt32Value", wrapperLte,
                        UInt32Value.of(100)), Probe.message(".google.protobuf.UInt32Value", wrapperLte,
                        UInt32Value.of(101)), "probe.f: must be <= 100"),
                new Case("StringValue wrapper (unset passes)", Probe.message(".google.protobuf.StringValue",
                        wrapperMinLen, null), Probe.message(".google.protobuf.StringValue", wrapperMinLen,
                        StringValue.of("")), "probe.f: length must be >= 1"),
                new Case("BoolValue wrapper", Probe.message(".google.protobuf.BoolValue", wrapperBool,
                        BoolValue.of(false)), Probe.message(".google.protobuf.BoolValue", wrapperBool,
                        BoolValue.of(true)), "probe.f: must equal false"));
    }

    @Test
    void requiredOneof() {
        assertEquals(List.of("probe.choice: one of [a, b] is required"), violations(Probe.requiredOneofUnset()));
    }

    @Test
    void messageSkipStopsTheWalkIntoTheValue() {
        Any badHcm = Any.pack(PgvValidatorTest.hcm(""));
        FieldRules skip = r().setMessage(MessageRules.newBuilder().setSkip(true)).build();
        assertEquals(List.of(), violations(Probe.message(ANY, skip, badHcm)));
        assertEquals(List.of("probe.f.stat_prefix: length must be >= 1"),
                violations(Probe.message(ANY, r().build(), badHcm)));
    }

    @Test
    void uncheckedRulesAreListedNotPassedSilently() {
        PgvReport report = validator.validate("probe", Probe.scalar(Type.TYPE_STRING,
                r().setString(s().setEmail(true)).build(), "not an email"))
                .merge(validator.validate("probe", Probe.message(TIMESTAMP,
                        r().setTimestamp(TimestampRules.newBuilder().setLtNow(true)).build(), ts(1))))
                .merge(validator.validate("probe", Probe.scalar(Type.TYPE_STRING,
                        r().setUint32(UInt32Rules.newBuilder().setGt(1)).build(), "x")));
        System.out.print("unchecked rules seen:\n" + report);
        assertEquals(Map.of("string.email", "probe.f", "timestamp.lt_now", "probe.f",
                "uint32 rules on string field", "probe.f"), report.uncheckedRules());
        assertEquals(List.of(), report.violations());
    }

    private List<String> violations(Message probe) {
        return validator.validate("probe", probe).violations().stream().map(Violation::toString).toList();
    }

    private static FieldRules.Builder r() {
        return FieldRules.newBuilder();
    }

    private static StringRules.Builder s() {
        return StringRules.newBuilder();
    }

    private static BytesRules.Builder b() {
        return BytesRules.newBuilder();
    }

    private static RepeatedRules.Builder rep() {
        return RepeatedRules.newBuilder();
    }

    private static Duration seconds(long s) {
        return Duration.newBuilder().setSeconds(s).build();
    }

    private static Timestamp ts(long s) {
        return Timestamp.newBuilder().setSeconds(s).build();
    }

    private static Case str(String rule, StringRules.Builder rules, String good, String bad, String expected) {
        FieldRules fr = r().setString(rules).build();
        return new Case(rule, Probe.scalar(Type.TYPE_STRING, fr, good), Probe.scalar(Type.TYPE_STRING, fr, bad),
                "probe.f: " + expected);
    }

    private static Message bytes(BytesRules.Builder rules, String value) {
        return Probe.scalar(Type.TYPE_BYTES, r().setBytes(rules).build(), ByteString.copyFromUtf8(value));
    }

    private static Case num(String rule, Type type, FieldRules.Builder rules, Object good, Object bad, String expected) {
        FieldRules fr = rules.build();
        return new Case(rule, Probe.scalar(type, fr, good), Probe.scalar(type, fr, bad), "probe.f: " + expected);
    }

    private static Case list(String rule, RepeatedRules.Builder rules, List<?> good, List<?> bad, String expected) {
        FieldRules fr = r().setRepeated(rules).build();
        return new Case(rule, Probe.repeated(Type.TYPE_STRING, fr, good), Probe.repeated(Type.TYPE_STRING, fr, bad),
                expected);
    }

    private static Case map(String rule, MapRules.Builder rules, Map<String, ?> good, Map<String, ?> bad,
                            String expected) {
        FieldRules fr = r().setMap(rules).build();
        return new Case(rule, Probe.map(Type.TYPE_STRING, fr, good), Probe.map(Type.TYPE_STRING, fr, bad), expected);
    }

    private static Case dur(String rule, DurationRules.Builder rules, Duration good, Duration bad, String expected) {
        FieldRules fr = r().setDuration(rules).build();
        return new Case(rule, Probe.message(DURATION, fr, good), Probe.message(DURATION, fr, bad),
                "probe.f: " + expected);
    }
}
