package dev.mizzen.api.networking;

/** Istio {@code HTTPDirectResponse}: a fixed response. */
public record HttpDirectResponse(Integer status, HttpBody body) {
}
