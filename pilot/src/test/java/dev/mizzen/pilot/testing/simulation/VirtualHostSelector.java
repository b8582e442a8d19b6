package dev.mizzen.pilot.testing.simulation;

import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Envoy's virtual host selection (RouteMatcher::findVirtualHost): the Host header, lower-cased, matched
 * against the domains of all virtual hosts: exact first, then suffix wildcards ({@code *.foo.com},
 * {@code *-bar.foo.com}) longest first, then prefix wildcards ({@code foo.*}) longest first, then {@code *}.
 * A wildcard matches at least one character. Ports are part of the host unless stripped
 * ({@code ignore_port_in_host_matching} here, strip_*_host_port in the connection manager).
 */
final class VirtualHostSelector {
    private VirtualHostSelector() {
    }

    static Optional<VirtualHost> select(RouteConfiguration config, String authority) {
        String host = authority.toLowerCase(Locale.ROOT);
        if (config.getIgnorePortInHostMatching()) {
            host = stripPort(host);
        }
        Map<String, VirtualHost> exact = new HashMap<>();
        List<Map.Entry<String, VirtualHost>> suffixes = new ArrayList<>();
        List<Map.Entry<String, VirtualHost>> prefixes = new ArrayList<>();
        VirtualHost any = null;
        for (VirtualHost vhost : config.getVirtualHostsList()) {
            for (String domain : vhost.getDomainsList()) {
                String d = domain.toLowerCase(Locale.ROOT);
                if (d.equals("*")) {
                    any = any == null ? vhost : any;
                } else if (d.startsWith("*")) {
                    suffixes.add(Map.entry(d.substring(1), vhost));
                } else if (d.endsWith("*")) {
                    prefixes.add(Map.entry(d.substring(0, d.length() - 1), vhost));
                } else {
                    exact.putIfAbsent(d, vhost);
                }
            }
        }
        if (exact.containsKey(host)) {
            return Optional.of(exact.get(host));
        }
        String h = host;
        Optional<VirtualHost> wildcard = longest(suffixes, h, Position.SUFFIX)
                .or(() -> longest(prefixes, h, Position.PREFIX));
        return wildcard.isPresent() ? wildcard : Optional.ofNullable(any);
    }

    private enum Position { SUFFIX, PREFIX }

    private static Optional<VirtualHost> longest(List<Map.Entry<String, VirtualHost>> wildcards, String host,
                                                 Position position) {
        Map.Entry<String, VirtualHost> best = null;
        for (Map.Entry<String, VirtualHost> w : wildcards) {
            String part = w.getKey();
            boolean matches = host.length() > part.length()
                    && (position == Position.SUFFIX ? host.endsWith(part) : host.startsWith(part));
            if (matches && (best == null || part.length() > best.getKey().length())) {
                best = w;
            }
        }
        return Optional.ofNullable(best).map(Map.Entry::getValue);
    }

    /** Domains listed by more than one virtual host: Envoy rejects such a route configuration. */
    static List<String> duplicateDomains(RouteConfiguration config) {
        Map<String, String> owner = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (VirtualHost vhost : config.getVirtualHostsList()) {
            for (String domain : vhost.getDomainsList()) {
                String previous = owner.putIfAbsent(domain.toLowerCase(Locale.ROOT), vhost.getName());
                if (previous != null) {
                    out.add("route " + config.getName() + ": domain " + domain + " in " + previous + " and "
                            + vhost.getName());
                }
            }
        }
        return out;
    }

    static String stripPort(String host) {
        int colon = host.lastIndexOf(':');
        boolean ipv6WithoutPort = host.startsWith("[") && host.endsWith("]");
        return colon < 0 || ipv6WithoutPort || host.indexOf(':') != colon && !host.startsWith("[") ? host
                : host.substring(0, colon);
    }
}
