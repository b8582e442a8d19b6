package dev.mizzen.istiod.debug;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** JSON as Istio's debug endpoints write it: compact, or indented with {@code ?pretty}; times in RFC 3339. */
final class Json {
    private static final JsonMapper COMPACT = JsonMapper.builder().build();
    private static final JsonMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Json() {
    }

    static DebugResponse write(Object value, DebugRequest request) {
        return DebugResponse.json((request.has("pretty") ? PRETTY : COMPACT).writeValueAsString(value));
    }

    static String time(Instant at) {
        return DateTimeFormatter.ISO_INSTANT.format(at);
    }
}
