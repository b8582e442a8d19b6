package dev.mizzen.api.networking;

/** Istio {@code HTTPRedirect}; {@code derivePort} is an enum kept as a string. */
public record HttpRedirect(
        String uri,
        String authority,
        Integer port,
        String derivePort,
        String scheme,
        Integer redirectCode,
        String prefixRewrite) {
}
