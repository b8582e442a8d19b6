package dev.mizzen.api.networking;

/** Istio {@code RegexRewrite}: an RE2 pattern and its replacement. */
public record RegexRewrite(String match, String rewrite) {
}
