package dev.mizzen.pilot.xds;

import dev.mizzen.pilot.push.PushRequest;

import java.util.Optional;

/** One proxy's ADS stream, state of the world or incremental, as the server pushes to it. */
interface ProxyStream {
    long id();

    /** Sends what changed for this proxy, if the push concerns it; called from the push executor. */
    void push(PushRequest request, PushScope scope);

    /** What the proxy was sent and acknowledged; empty before it identified itself. */
    Optional<ConnectionStatus> status();
}
