package dev.mizzen.pilot.xds;

import dev.mizzen.pilot.push.PushRequest;

import java.util.Optional;

/** An admitted ADS stream as the server sees it: something to push to and to ask for its status. Thread-safe. */
interface ProxyStream {
    long id();

    /**
     * Sends what changed for its proxy, if the push concerns it; called from the push executor.
     *
     * @return true when the push concerned this proxy
     */
    boolean push(PushRequest request, PushScope scope);

    /** The admitted proxy. */
    dev.mizzen.pilot.model.Proxy proxy();

    /** What the proxy was sent and acknowledged; empty once the stream closed. */
    Optional<ConnectionStatus> status();
}
