package dev.mizzen.pilot.push;

import dev.mizzen.pilot.model.PushContext;

/** Where pushes go: the xDS server, which sends every connected proxy what changed for it. */
public interface PushTarget {
    /** The first push context, before any proxy is answered. */
    void initialize(PushContext context);

    /** Takes a new push context and sends each proxy what {@code request} changed for it; returns when sent. */
    void push(PushContext context, PushRequest request);

    /**
     * The same, knowing when the first change of the push was heard ({@link System#nanoTime()}), so that the target
     * can measure how long config took to reach each proxy (Istio's {@code pilot_proxy_convergence_time}).
     */
    default void push(PushContext context, PushRequest request, long firstChangeNanos) {
        push(context, request);
    }
}
