package dev.mizzen.api.networking;

/** Istio {@code HTTPSettings.HTTP2KeepAlive}: HTTP/2 PING settings. */
public record Http2KeepAlive(String interval, String timeout) {
}
