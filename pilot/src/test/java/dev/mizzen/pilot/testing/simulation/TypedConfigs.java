package dev.mizzen.pilot.testing.simulation;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

import java.util.Optional;

/** Unpacks typed configs by type URL, as Envoy picks an extension by its config type. */
final class TypedConfigs {
    private TypedConfigs() {
    }

    static <T extends Message> Optional<T> unpack(Any any, Class<T> type) {
        if (!any.is(type)) {
            return Optional.empty();
        }
        try {
            return Optional.of(any.unpack(type));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("typed config " + any.getTypeUrl() + " does not parse", e);
        }
    }

    /** Whether an extension (by its name or typed config) is the one named, e.g. "envoy.filters.http.router". */
    static boolean is(String name, Any typedConfig, String wantedName, Class<? extends Message> wantedType) {
        return typedConfig.is(wantedType) || typedConfig.getTypeUrl().isEmpty() && name.equals(wantedName);
    }
}
