package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;

/** Istio {@code TLSRoute}: SNI-based routing of unterminated TLS. */
public record TlsRoute(List<TlsMatchAttributes> match, List<RouteDestination> route) {
    public TlsRoute {
        match = Copies.list(match);
        route = Copies.list(route);
    }
}
