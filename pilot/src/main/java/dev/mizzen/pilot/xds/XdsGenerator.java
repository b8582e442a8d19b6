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
     */
    List<XdsResource> generate(Proxy proxy, PushSnapshot push, String typeUrl, Set<String> names);
}
