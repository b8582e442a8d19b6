package dev.mizzen.pilot.testing.simulation;

import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Envoy's domain matching: exact, longest suffix wildcard, longest prefix wildcard, then "*". */
class VirtualHostSelectorTest {
    private static final RouteConfiguration ROUTES = RouteConfiguration.newBuilder().setName("r")
            .addVirtualHosts(vhost("exact", "www.foo.com", "www.foo.com:8080"))
            .addVirtualHosts(vhost("suffix", "*.foo.com"))
            .addVirtualHosts(vhost("longer-suffix", "*.bar.foo.com"))
            .addVirtualHosts(vhost("dash-suffix", "*-baz.foo.com"))
            .addVirtualHosts(vhost("prefix", "foo.*"))
            .addVirtualHosts(vhost("longer-prefix", "foo.bar.*"))
            .addVirtualHosts(vhost("any", "*"))
            .build();

    private static VirtualHost vhost(String name, String... domains) {
        return EnvoyConfigs.vhost(name, domains).build();
    }

    @ParameterizedTest
    @CsvSource({"www.foo.com, exact", "WWW.Foo.com, exact", "www.foo.com:8080, exact",
            "www.foo.com:9090, any", // the port is part of the host: no suffix matches
            "a.foo.com, suffix", "a.bar.foo.com, longer-suffix", "x-baz.foo.com, dash-suffix",
            "-baz.foo.com, suffix", // a wildcard matches at least one character
            "foo.com, prefix", "foo.bar.org, longer-prefix", "foo., any", "other, any"})
    void domainOrder(String host, String vhost) {
        assertEquals(vhost, VirtualHostSelector.select(ROUTES, host).map(VirtualHost::getName).orElse("none"));
    }

    @ParameterizedTest
    @CsvSource({"reviews:9080, reviews", "reviews, reviews", "other:9080, none"})
    void ignorePortInHostMatching(String host, String vhost) {
        RouteConfiguration routes = RouteConfiguration.newBuilder().setIgnorePortInHostMatching(true)
                .addVirtualHosts(vhost("reviews", "reviews")).build();
        assertEquals(vhost, VirtualHostSelector.select(routes, host).map(VirtualHost::getName).orElse("none"));
    }
}
