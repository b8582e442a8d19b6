package dev.mizzen.api.security;

/** Istio {@code AuthorizationPolicy.ExtensionProvider}: the mesh extension provider of a CUSTOM action. */
public record ExtensionProvider(String name) {
}
