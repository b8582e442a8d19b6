package dev.mizzen.api.security;

import dev.mizzen.api.config.Copies;

import java.util.List;

/** Istio {@code Condition}: an attribute key and the values it must (not) have. */
public record Condition(String key, List<String> values, List<String> notValues) {
    public Condition {
        values = Copies.list(values);
        notValues = Copies.list(notValues);
    }
}
