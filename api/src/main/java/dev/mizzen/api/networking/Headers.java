package dev.mizzen.api.networking;

/** Istio {@code Headers}: header operations on requests and responses. */
public record Headers(HeaderOperations request, HeaderOperations response) {
}
