package dev.mizzen.pilot.networking.envoy.gateway;

import dev.mizzen.api.networking.Server;
import dev.mizzen.pilot.model.GatewayIndex;
import dev.mizzen.pilot.model.Hostnames;
import dev.mizzen.pilot.model.Protocol;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.VirtualServiceIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a gateway proxy serves: the servers of the Gateways that select it, the port each listens on, and
 * the VirtualServices bound to each server (bound to the Gateway by name, with a host that matches one of
 * the server's {@code namespace/host} entries).
 */
final class GatewayServers {
    private GatewayServers() {
    }

    /** A server's host entry: {@code ns/host}, where ns is {@code *}, {@code .} (the Gateway's) or a name. */
    record ServerHost(String namespace, String host) {
        static ServerHost parse(String value) {
            int slash = value.indexOf('/');
            return slash < 0 ? new ServerHost("*", value) : new ServerHost(value.substring(0, slash), value.substring(slash + 1));
        }

        boolean admits(String vsNamespace, String gatewayNamespace) {
            return namespace.equals("*") || namespace.equals(vsNamespace)
                    || (namespace.equals(".") && vsNamespace.equals(gatewayNamespace));
        }

        /** The host both sides accept (the more specific one), or empty when they do not meet. */
        Optional<String> meet(String vsHost) {
            if (Hostnames.matches(host, vsHost)) {
                return Optional.of(vsHost);
            }
            if (Hostnames.matches(vsHost, host)) {
                return Optional.of(host);
            }
            return Optional.empty();
        }
    }

    /** A VirtualService bound to a server, with the host the two share. */
    record Binding(VirtualServiceIndex.Entry virtualService, String host) {
    }

    static List<GatewayIndex.GatewayServer> servers(Proxy proxy, PushContext push) {
        return push.gateways().serversFor(proxy.labels()).stream()
                .filter(s -> s.server().port() != null && s.server().port().number() != null)
                .toList();
    }

    static Protocol protocol(Server server) {
        return Protocol.parse(server.port().protocol());
    }

    static boolean terminatesTls(Server server) {
        return server.tls() != null && server.tls().mode() != null
                && !server.tls().mode().equals("PASSTHROUGH") && !server.tls().mode().equals("AUTO_PASSTHROUGH");
    }

    static boolean passesTlsThrough(Server server) {
        return server.tls() != null && ("PASSTHROUGH".equals(server.tls().mode())
                || "AUTO_PASSTHROUGH".equals(server.tls().mode()));
    }

    /**
     * The port the gateway proxy listens on for a server: its targetPort, else the target port of the
     * gateway's own Service port with that number (port 80 of istio-ingressgateway is 8080 in the pod),
     * else the number itself.
     */
    static int listenPort(GatewayIndex.GatewayServer s, Proxy proxy, PushContext push) {
        Server server = s.server();
        if (server.port().targetPort() != null) {
            return server.port().targetPort();
        }
        for (Service service : push.servicesOfWorkload(proxy.namespace(), proxy.labels())) {
            var port = service.port(server.port().number());
            if (port.isPresent() && !port.get().targetPort().isNamed()) {
                return port.get().targetPort().number();
            }
        }
        return server.port().number();
    }

    /** The VirtualServices bound to one server, oldest first, each with the host it serves there. */
    static List<Binding> bindings(GatewayIndex.GatewayServer s, PushContext push) {
        List<Binding> out = new ArrayList<>();
        String gateway = s.gatewayName();
        for (VirtualServiceIndex.Entry vs : push.virtualServices().all()) {
            if (!vs.bindsTo(gateway)) {
                continue;
            }
            for (String hostValue : s.server().hosts()) {
                ServerHost serverHost = ServerHost.parse(hostValue);
                if (!serverHost.admits(vs.config().namespace(), s.gateway().namespace())) {
                    continue;
                }
                for (String vsHost : vs.hosts()) {
                    serverHost.meet(vsHost).ifPresent(h -> out.add(new Binding(vs, h)));
                }
            }
        }
        return out;
    }

    /** Istio's name of the routes of a server that terminates TLS. */
    static String httpsRouteName(GatewayIndex.GatewayServer s) {
        return "https." + s.server().port().number() + "." + s.server().port().name() + "."
                + s.gateway().name() + "." + s.gateway().namespace();
    }

    static String httpRouteName(int portNumber) {
        return "http." + portNumber;
    }
}
