package dev.mizzen.pilot.testing.simulation;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.mizzen.pilot.testing.simulation.EnvoyConfigs.chain;
import static dev.mizzen.pilot.testing.simulation.EnvoyConfigs.tcpProxy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Envoy's filter chain matching order, most specific first, without backtracking. */
class FilterChainSelectorTest {

    private static FilterChain chain(String name, FilterChainMatch.Builder match) {
        return EnvoyConfigs.chain(name, match, tcpProxy(name, name));
    }

    private static Listener listener(FilterChain... chains) {
        return Listener.newBuilder().setName("l").addAllFilterChains(List.of(chains)).build();
    }

    private static Connection to(String ip, int port) {
        return new Connection(ip, port, "raw_buffer", "", List.of(), "10.1.0.1", 40000);
    }

    private static String select(Listener listener, Connection c) {
        return FilterChainSelector.select(listener, c).name();
    }

    private static FilterChainMatch.Builder match() {
        return FilterChainMatch.newBuilder();
    }

    private static CidrRange cidr(String ip, int length) {
        return CidrRange.newBuilder().setAddressPrefix(ip).setPrefixLen(UInt32Value.of(length)).build();
    }

    @Test
    void destinationPortBeatsAnyPort() {
        Listener l = listener(chain("any", match()), chain("p80", match().setDestinationPort(UInt32Value.of(80))));
        assertEquals("p80", select(l, to("10.0.0.1", 80)));
        assertEquals("any", select(l, to("10.0.0.1", 81)));
    }

    @Test
    void noBacktrackingFromAMoreSpecificPort() {
        Listener l = listener(chain("p80-foo", match().setDestinationPort(UInt32Value.of(80)).addServerNames("foo")),
                chain("any", match()));
        Connection bar = to("10.0.0.1", 80).withTls("bar", List.of());
        SimulationStop stop = assertThrows(SimulationStop.class, () -> select(l, bar));
        assertEquals(Failure.Kind.NO_FILTER_CHAIN, stop.failure().kind());
        Listener withDefault = l.toBuilder().setDefaultFilterChain(chain("fallback", match())).build();
        assertEquals("default_filter_chain", select(withDefault, bar));
    }

    @Test
    void longestDestinationPrefixWins() {
        Listener l = listener(chain("wide", match().addPrefixRanges(cidr("10.0.0.0", 8))),
                chain("narrow", match().addPrefixRanges(cidr("10.1.0.0", 16))), chain("any", match()));
        assertEquals("narrow", select(l, to("10.1.2.3", 80)));
        assertEquals("wide", select(l, to("10.2.2.3", 80)));
        assertEquals("any", select(l, to("192.168.0.1", 80)));
        assertEquals("any", select(l, to("reviews", 80)));
    }

    @Test
    void serverNamesExactThenLongestWildcardThenNone() {
        Listener l = listener(chain("exact", match().addServerNames("www.example.com")),
                chain("wide", match().addServerNames("*.example.com")),
                chain("narrow", match().addServerNames("*.foo.example.com")), chain("none", match()));
        assertEquals("exact", select(l, to("10.0.0.1", 443).withTls("www.example.com", List.of())));
        assertEquals("narrow", select(l, to("10.0.0.1", 443).withTls("a.foo.example.com", List.of())));
        assertEquals("wide", select(l, to("10.0.0.1", 443).withTls("a.bar.example.com", List.of())));
        assertEquals("none", select(l, to("10.0.0.1", 443).withTls("example.com", List.of())));
    }

    @Test
    void transportProtocolThenTheClientsFirstKnownAlpn() {
        Listener l = listener(chain("tls-h2", match().setTransportProtocol("tls").addApplicationProtocols("h2")),
                chain("tls-istio", match().setTransportProtocol("tls").addApplicationProtocols("istio")),
                chain("tls", match().setTransportProtocol("tls")), chain("plain", match()));
        assertEquals("tls-istio", select(l, to("10.0.0.1", 443).withTls("", List.of("istio", "h2"))));
        assertEquals("tls-h2", select(l, to("10.0.0.1", 443).withTls("", List.of("http/1.1", "h2"))));
        assertEquals("tls", select(l, to("10.0.0.1", 443).withTls("", List.of("http/1.1"))));
        assertEquals("plain", select(l, to("10.0.0.1", 443)));
    }

    @Test
    void sourceTypeAndSourcePorts() {
        Listener l = listener(chain("local", match().setSourceType(FilterChainMatch.ConnectionSourceType
                        .SAME_IP_OR_LOOPBACK)), chain("any", match()));
        assertEquals("local", select(l, new Connection("10.0.0.1", 80, "raw_buffer", "", List.of(), "127.0.0.1", 1)));
        assertEquals("any", select(l, to("10.0.0.1", 80)));
        Listener ports = listener(chain("p1", match().addSourcePorts(40000)), chain("any", match()));
        assertEquals("p1", select(ports, to("10.0.0.1", 80)));
    }

    @Test
    void overlappingChainsAreRejected() {
        Listener l = listener(chain("a", match().setDestinationPort(UInt32Value.of(80))),
                chain("b", match().setDestinationPort(UInt32Value.of(80))));
        SimulationStop stop = assertThrows(SimulationStop.class, () -> select(l, to("10.0.0.1", 80)));
        assertEquals(Failure.Kind.CONFIG_REJECTED, stop.failure().kind());
    }
}
