package dev.mizzen.api.networking;

/** Istio {@code HTTPRewrite}: rewrite of the path and/or authority before forwarding. */
public record HttpRewrite(String uri, String authority, RegexRewrite uriRegexRewrite) {
}
