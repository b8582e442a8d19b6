package dev.mizzen.pilot.testing.simulation;

import java.util.ArrayList;
import java.util.List;

/** What one simulated request has gone through so far; mutable, confined to one {@link Simulation#call}. */
final class Trace {
    ListenerMatch listener;
    HttpRoute http;
    RouteTarget target;
    final List<Upstream> upstreams = new ArrayList<>();

    Result result(Request request, Failure failure) {
        return new Result(request, listener, http, target, upstreams, failure);
    }
}
