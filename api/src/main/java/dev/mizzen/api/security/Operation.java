package dev.mizzen.api.security;

import dev.mizzen.api.config.Copies;

import java.util.List;

/** Istio {@code Operation}: request hosts, ports (strings, as in the CRD), methods and paths. */
public record Operation(
        List<String> hosts,
        List<String> notHosts,
        List<String> ports,
        List<String> notPorts,
        List<String> methods,
        List<String> notMethods,
        List<String> paths,
        List<String> notPaths) {
    public Operation {
        hosts = Copies.list(hosts);
        notHosts = Copies.list(notHosts);
        ports = Copies.list(ports);
        notPorts = Copies.list(notPorts);
        methods = Copies.list(methods);
        notMethods = Copies.list(notMethods);
        paths = Copies.list(paths);
        notPaths = Copies.list(notPaths);
    }
}
