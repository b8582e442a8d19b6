package dev.mizzen.galley.validation;

import dev.mizzen.api.networking.L4MatchAttributes;
import dev.mizzen.api.networking.RouteDestination;
import dev.mizzen.api.networking.TcpRoute;
import dev.mizzen.api.networking.TlsMatchAttributes;
import dev.mizzen.api.networking.TlsRoute;
import dev.mizzen.api.networking.VirtualService;

import java.util.List;

/** TLS and TCP routes of a VirtualService: their match conditions and weighted destinations. */
final class L4RouteValidator {
    private L4RouteValidator() {
    }

    static void checkTls(Findings out, FieldPath at, TlsRoute route, VirtualService vs) {
        if (route.match().isEmpty()) {
            out.error(at.field("match"), "TLS route must have at least one match condition");
        }
        for (int i = 0; i < route.match().size(); i++) {
            tlsMatch(out, at.field("match").index(i), route.match().get(i), vs);
        }
        if (route.route().isEmpty()) {
            out.error(at.field("route"), "TLS route is required");
        }
        destinations(out, at.field("route"), route.route());
    }

    static void checkTcp(Findings out, FieldPath at, TcpRoute route) {
        for (int i = 0; i < route.match().size(); i++) {
            FieldPath p = at.field("match").index(i);
            L4MatchAttributes m = route.match().get(i);
            subnets(out, p.field("destinationSubnets"), m.destinationSubnets());
            optionalPort(out, p.field("port"), m.port());
            Labels.check(out, p.field("sourceLabels"), m.sourceLabels());
            Destinations.checkGatewayNames(out, p.field("gateways"), m.gateways());
        }
        if (route.route().isEmpty()) {
            out.error(at.field("route"), "TCP route is required");
        }
        destinations(out, at.field("route"), route.route());
    }

    private static void tlsMatch(Findings out, FieldPath at, TlsMatchAttributes match, VirtualService vs) {
        if (match.sniHosts().isEmpty()) {
            out.error(at.field("sniHosts"), "TLS match must have at least one SNI host");
        }
        for (int i = 0; i < match.sniHosts().size(); i++) {
            sniHost(out, at.field("sniHosts").index(i), match.sniHosts().get(i), vs);
        }
        subnets(out, at.field("destinationSubnets"), match.destinationSubnets());
        optionalPort(out, at.field("port"), match.port());
        Labels.check(out, at.field("sourceLabels"), match.sourceLabels());
        Destinations.checkGatewayNames(out, at.field("gateways"), match.gateways());
    }

    /** An SNI name must be one the VirtualService's hosts cover; an IP address is tolerated with a warning. */
    private static void sniHost(Findings out, FieldPath at, String sni, VirtualService vs) {
        boolean toGateways = !vs.gateways().contains(VirtualServiceValidator.MESH);
        String error = toGateways ? Hosts.gatewayBoundHostError(true, sni) : Hosts.wildcardDomainError(sni);
        if (error != null) {
            if (IpAddresses.isIp(sni)) {
                out.warning(at, "using an IP address (\"" + sni + "\") goes against SNI spec and most clients do not support this");
            } else {
                out.error(at, error);
            }
            return;
        }
        for (String host : vs.hosts()) {
            if (Hosts.subsetOf(sni, host)) {
                return;
            }
        }
        out.error(at, "SNI host \"" + sni + "\" is not a compatible subset of any of the virtual service hosts: ["
                + String.join(", ", vs.hosts()) + "]");
    }

    private static void subnets(Findings out, FieldPath at, List<String> subnets) {
        for (int i = 0; i < subnets.size(); i++) {
            out.errorIf(at.index(i), IpAddresses.subnetError(subnets.get(i)));
        }
    }

    private static void optionalPort(Findings out, FieldPath at, Integer port) {
        if (port != null && port != 0) {
            Ports.checkNumber(out, at, port);
        }
    }

    private static void destinations(Findings out, FieldPath at, List<RouteDestination> route) {
        for (int i = 0; i < route.size(); i++) {
            RouteDestination d = route.get(i);
            if (d.destination() == null) {
                out.error(at.index(i).field("destination"), "destination is required");
            }
            Destinations.check(out, at.index(i).field("destination"), d.destination());
        }
        RouteWeights.check(out, at, route, RouteDestination::weight);
    }
}
