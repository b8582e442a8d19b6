package dev.mizzen.pilot.testing.simulation;

import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilterChainMatchPredicate;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;

import java.util.List;
import java.util.Optional;

/**
 * Which listener accepts a connection, as Envoy and iptables do it.
 * <ul>
 * <li>OUTBOUND/INBOUND: iptables redirects to the capture listener (virtualOutbound on 15001, virtualInbound
 * on 15006). The original_dst listener filter restores the original destination (Envoy adds that filter
 * itself when use_original_dst is set); with use_original_dst Envoy then hands the connection to the
 * listener bound to exactly that ip:port, else to 0.0.0.0:port (bind_to_port false listeners included),
 * else keeps it on the capture listener. Without either, the connection stays at the capture port.</li>
 * <li>GATEWAY: the listener bound to the port (exact address first, then the wildcard).</li>
 * </ul>
 * Listener filters of every listener on the way run: tls_inspector reports TLS, SNI and ALPN;
 * http_inspector reports http/1.1 or h2c for plaintext HTTP; both honour filter_disabled on the
 * destination port.
 */
final class ListenerSelector {
    private static final String ORIGINAL_DST = "envoy.filters.listener.original_dst";
    private static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";
    private static final String HTTP_INSPECTOR = "envoy.filters.listener.http_inspector";

    record Accepted(Listener listener, String handedOffBy, Connection connection) {
    }

    /** Which listeners may take a connection: only those bound to their port, or also bind_to_port false. */
    private enum Binding { BOUND, BOUND_OR_NOT }

    private ListenerSelector() {
    }

    static Accepted select(XdsConfig config, Request request) {
        Connection connection = new Connection(request.address(), request.port(), "", "", List.of(),
                request.sourceAddress(), request.sourcePort());
        if (request.mode() == CallMode.GATEWAY) {
            Listener listener = bound(config, request.address(), request.port(), null, Binding.BOUND)
                    .orElseThrow(() -> new SimulationStop(Failure.Kind.NO_LISTENER,
                            "no listener bound to " + request.address() + ":" + request.port()));
            return new Accepted(listener, null, inspect(listener, request, connection).withDefaultTransport());
        }
        String captureName = request.mode() == CallMode.OUTBOUND ? "virtualOutbound" : "virtualInbound";
        int capturePort = request.mode() == CallMode.OUTBOUND ? 15001 : 15006;
        Listener capture = config.listener(captureName)
                .or(() -> config.listeners().stream().filter(l -> port(l) == capturePort).findFirst())
                .orElseThrow(() -> new SimulationStop(Failure.Kind.NO_LISTENER,
                        "no " + captureName + " listener (port " + capturePort + ") to capture the connection"));
        boolean handOff = capture.hasUseOriginalDst() && capture.getUseOriginalDst().getValue();
        if (!handOff && !hasFilter(capture, ORIGINAL_DST, OriginalDst.class)) {
            // without original_dst Envoy sees the redirect target, not the original destination
            connection = new Connection(address(capture), capturePort, "", "", List.of(), request.sourceAddress(),
                    request.sourcePort());
            return new Accepted(capture, null, inspect(capture, request, connection).withDefaultTransport());
        }
        connection = inspect(capture, request, connection);
        if (handOff) {
            Optional<Listener> target = bound(config, request.address(), request.port(), capture, Binding.BOUND_OR_NOT);
            if (target.isPresent()) {
                return new Accepted(target.get(), capture.getName(),
                        inspect(target.get(), request, connection).withDefaultTransport());
            }
        }
        return new Accepted(capture, null, connection.withDefaultTransport());
    }

    /** The listener on ip:port, else on the wildcard address with that port. */
    private static Optional<Listener> bound(XdsConfig config, String ip, int port, Listener except,
                                            Binding binding) {
        List<Listener> candidates = config.listeners().stream()
                .filter(l -> l != except && port(l) == port)
                .filter(l -> binding == Binding.BOUND_OR_NOT || !l.hasBindToPort() || l.getBindToPort().getValue())
                .toList();
        return candidates.stream().filter(l -> address(l).equals(ip)).findFirst()
                .or(() -> candidates.stream().filter(l -> address(l).equals("0.0.0.0") || address(l).equals("::"))
                        .findFirst());
    }

    private static Connection inspect(Listener listener, Request request, Connection connection) {
        Connection out = connection;
        for (ListenerFilter filter : listener.getListenerFiltersList()) {
            if (filter.hasFilterDisabled() && disabled(filter.getFilterDisabled(), out.localPort())) {
                continue;
            }
            boolean tls = request.tls() != TlsMode.PLAINTEXT;
            if (is(filter, TLS_INSPECTOR, TlsInspector.class) && tls) {
                out = out.withTls(request.sni(), request.effectiveAlpn());
            } else if (is(filter, HTTP_INSPECTOR, HttpInspector.class) && !tls && request.protocol().isHttp()
                    && out.alpn().isEmpty()) {
                out = out.withAlpn(List.of(request.protocol() == Protocol.HTTP2 ? "h2c" : "http/1.1"));
            }
        }
        return out;
    }

    static boolean disabled(ListenerFilterChainMatchPredicate p, int port) {
        return switch (p.getRuleCase()) {
            case OR_MATCH -> p.getOrMatch().getRulesList().stream().anyMatch(r -> disabled(r, port));
            case AND_MATCH -> p.getAndMatch().getRulesList().stream().allMatch(r -> disabled(r, port));
            case NOT_MATCH -> !disabled(p.getNotMatch(), port);
            case ANY_MATCH -> p.getAnyMatch();
            case DESTINATION_PORT_RANGE -> port >= p.getDestinationPortRange().getStart()
                    && port < p.getDestinationPortRange().getEnd();
            case RULE_NOT_SET -> false;
        };
    }

    private static boolean hasFilter(Listener listener, String name, Class<? extends com.google.protobuf.Message> type) {
        return listener.getListenerFiltersList().stream().anyMatch(f -> is(f, name, type));
    }

    private static boolean is(ListenerFilter f, String name, Class<? extends com.google.protobuf.Message> type) {
        return TypedConfigs.is(f.getName(), f.getTypedConfig(), name, type);
    }

    static int port(Listener l) {
        return l.getAddress().getSocketAddress().getPortValue();
    }

    static String address(Listener l) {
        SocketAddress socket = l.getAddress().getSocketAddress();
        return socket.getAddress();
    }
}
