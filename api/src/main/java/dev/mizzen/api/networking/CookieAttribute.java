package dev.mizzen.api.networking;

/** Istio {@code HTTPCookie.Attribute}: an attribute of a generated cookie. */
public record CookieAttribute(String name, String value) {
}
