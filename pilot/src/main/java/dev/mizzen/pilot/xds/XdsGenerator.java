package dev.mizzen.pilot.xds;

import dev.mizzen.pilot.model.Proxy;

import java.util.List;
import java.util.Set;

/**
 * Generates the resources of one type for one proxy. Pure: reads only the push and the proxy, so the same
 * input gives the same bytes.
 */
public interface XdsGenerator {
    /**
     * @param names the resource names the proxy subscribed to; empty means all (wildcard)
     * @return the resources, or null when nothing is to be sent now and the proxy keeps what it has (an
     *         EnvoyFilter patch made a resource invalid)
     */
    List<XdsResource> generate(Proxy proxy, PushSnapshot push, String typeUrl, Set<String> names);
}
