package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.util.List;

/**
 * Istio {@code HTTPRoute}: match conditions and what to do with matched HTTP traffic (route, redirect, direct
 * response or delegate). {@code mirrorPercent} is deprecated in favour of {@code mirrorPercentage};
 * {@code mirror_percent} is read as an alias of it.
 */
public record HttpRoute(
        String name,
        List<HttpMatchRequest> match,
        List<HttpRouteDestination> route,
        HttpRedirect redirect,
        HttpDirectResponse directResponse,
        Delegate delegate,
        HttpRewrite rewrite,
        String timeout,
        HttpRetry retries,
        HttpFaultInjection fault,
        Destination mirror,
        List<HttpMirrorPolicy> mirrors,
        @JsonAlias("mirror_percent") Integer mirrorPercent,
        Percent mirrorPercentage,
        CorsPolicy corsPolicy,
        Headers headers) {
    public HttpRoute {
        match = Copies.list(match);
        route = Copies.list(route);
        mirrors = Copies.list(mirrors);
    }
}
