package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;

/** Istio {@code TCPRoute}: L4 match conditions and weighted destinations. */
public record TcpRoute(List<L4MatchAttributes> match, List<RouteDestination> route) {
    public TcpRoute {
        match = Copies.list(match);
        route = Copies.list(route);
    }
}
