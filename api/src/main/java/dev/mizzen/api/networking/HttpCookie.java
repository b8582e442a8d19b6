package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;

/**
 * Istio {@code ConsistentHashLB.HTTPCookie}: the cookie to hash on, generated when absent if {@code ttl} is
 * set.
 */
public record HttpCookie(String name, String path, String ttl, List<CookieAttribute> attributes) {
    public HttpCookie {
        attributes = Copies.list(attributes);
    }
}
