package dev.mizzen.api.networking;

/** Istio {@code StringMatch}: one of exact, prefix or regex (RE2); an empty object matches presence. */
public record StringMatch(String exact, String prefix, String regex) {
}
