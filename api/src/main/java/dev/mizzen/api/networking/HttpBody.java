package dev.mizzen.api.networking;

/** Istio {@code HTTPBody}: a literal body, or {@code bytes} as base64 text (kept raw, not decoded). */
public record HttpBody(String string, String bytes) {
}
