package dev.mizzen.galley.validation;

import dev.mizzen.api.networking.HttpMatchRequest;
import dev.mizzen.api.networking.HttpRoute;
import dev.mizzen.api.networking.StringMatch;
import dev.mizzen.api.networking.VirtualService;

import java.util.List;
import java.util.Map;

/**
 * VirtualService: hosts (wildcard domains; {@code *} only on gateways), gateway references, delegates (no
 * hosts: HTTP routes only, no gateways), at least one route, each route by its own rules, exportTo, and
 * warnings for rules that can never match.
 */
final class VirtualServiceValidator implements KindValidator<VirtualService> {
    static final String MESH = "mesh";

    @Override
    public void validate(VirtualService vs, String namespace, Findings out) {
        FieldPath spec = FieldPath.SPEC;
        boolean delegate = vs.hosts().isEmpty();
        if (delegate) {
            if (!vs.gateways().isEmpty()) {
                out.error(spec.field("gateways"), "delegate virtual service must have no gateways specified");
            }
            if (!vs.tls().isEmpty()) {
                out.error(spec.field("tls"), "delegate virtual service must have no tls route specified");
            }
            if (!vs.tcp().isEmpty()) {
                out.error(spec.field("tcp"), "delegate virtual service must have no tcp route specified");
            }
        }
        boolean toGateways = !vs.gateways().isEmpty() && !vs.gateways().contains(MESH);
        Destinations.checkGatewayNames(out, spec.field("gateways"), vs.gateways());
        if (!toGateways) {
            jwtClaimRoutesNeedGateways(out, vs);
        }
        hosts(out, vs, toGateways);
        if (vs.http().isEmpty() && vs.tcp().isEmpty() && vs.tls().isEmpty()) {
            out.error(spec, "http, tcp or tls must be provided in virtual service");
        }
        for (int i = 0; i < vs.http().size(); i++) {
            HttpRouteValidator.check(out, spec.field("http").index(i), vs.http().get(i), delegate);
        }
        for (int i = 0; i < vs.tls().size(); i++) {
            L4RouteValidator.checkTls(out, spec.field("tls").index(i), vs.tls().get(i), vs);
        }
        for (int i = 0; i < vs.tcp().size(); i++) {
            L4RouteValidator.checkTcp(out, spec.field("tcp").index(i), vs.tcp().get(i));
        }
        ExportTo.check(out, spec.field("exportTo"), namespace, vs.exportTo(), ExportTo.Kind.PLAIN);
        UnreachableRules.check(out, vs);
    }

    private static void hosts(Findings out, VirtualService vs, boolean toGateways) {
        boolean sni = vs.tls().stream().flatMap(t -> t.match().stream()).anyMatch(m -> !m.sniHosts().isEmpty());
        boolean allValid = true;
        for (int i = 0; i < vs.hosts().size(); i++) {
            String host = vs.hosts().get(i);
            FieldPath p = FieldPath.SPEC.field("hosts").index(i);
            String error = toGateways ? Hosts.gatewayBoundHostError(sni, host) : Hosts.wildcardDomainError(host);
            if (error != null) {
                if (!IpAddresses.isIp(host)) {
                    out.error(p, error);
                    allValid = false;
                }
            } else if (!toGateways && host.equals("*")) {
                out.error(p, "wildcard host * is not allowed for virtual services bound to the mesh gateway");
                allValid = false;
            }
        }
        if (!allValid) {
            return;
        }
        List<String> hosts = vs.hosts();
        for (int i = 0; i < hosts.size(); i++) {
            for (int j = i + 1; j < hosts.size(); j++) {
                if (Hosts.matches(hosts.get(i), hosts.get(j))) {
                    out.error(FieldPath.SPEC.field("hosts").index(j),
                            "duplicate hosts in virtual service: " + hosts.get(i) + " & " + hosts.get(j));
                }
            }
        }
    }

    /** Routing on JWT claims needs the gateway's JWT filter: sidecars cannot do it. */
    private static void jwtClaimRoutesNeedGateways(Findings out, VirtualService vs) {
        for (int i = 0; i < vs.http().size(); i++) {
            HttpRoute route = vs.http().get(i);
            for (int j = 0; j < route.match().size(); j++) {
                HttpMatchRequest m = route.match().get(j);
                FieldPath p = FieldPath.SPEC.field("http").index(i).field("match").index(j);
                claimKeys(out, p.field("headers"), m.headers(), vs);
                claimKeys(out, p.field("withoutHeaders"), m.withoutHeaders(), vs);
            }
        }
    }

    private static void claimKeys(Findings out, FieldPath at, Map<String, StringMatch> headers, VirtualService vs) {
        for (String key : headers.keySet()) {
            if (HeaderRules.isJwtClaimRoute(key)) {
                out.error(at.key(key), "JWT claim based routing (key: " + key
                        + ") is only supported for gateway, found no gateways: " + vs.gateways());
            }
        }
    }
}
