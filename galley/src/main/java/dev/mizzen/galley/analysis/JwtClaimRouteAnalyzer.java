package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.Gateway;
import dev.mizzen.api.networking.HttpMatchRequest;
import dev.mizzen.api.networking.HttpRoute;
import dev.mizzen.api.networking.VirtualService;
import dev.mizzen.api.security.RequestAuthentication;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Istio's {@code virtualservice.JWTClaimRouteAnalyzer}: a gateway VirtualService routing on a JWT claim
 * ({@code @request.auth.claims.x} or {@code @request.auth.claims[x]} headers) needs a RequestAuthentication on each
 * gateway pod, in the pod's namespace or the root namespace; without one the claims are never there (IST0149).
 */
final class JwtClaimRouteAnalyzer implements Analyzer {
    private static final String CLAIM_HEADER = "@request.auth.claims";

    @Override
    public String name() {
        return "virtualservice.JWTClaimRouteAnalyzer";
    }

    @Override
    public String description() {
        return "Checks the VirtualService using JWT claim based routing has corresponding RequestAuthentication";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        Map<String, List<Map<String, String>>> authnByNamespace = new HashMap<>();
        for (Config<RequestAuthentication> c : ctx.list(ConfigKind.REQUEST_AUTHENTICATION)) {
            Map<String, String> selector = c.spec().selector() == null ? Map.of() : c.spec().selector().matchLabels();
            authnByNamespace.computeIfAbsent(c.namespace(), k -> new ArrayList<>()).add(selector);
        }
        Map<String, Config<Gateway>> gateways = new HashMap<>();
        ctx.list(ConfigKind.GATEWAY).forEach(g -> gateways.put(g.namespace() + "/" + g.name(), g));
        String root = ctx.input().mesh().rootNamespace();
        for (Config<VirtualService> c : ctx.list(ConfigKind.VIRTUAL_SERVICE)) {
            String key = claimKey(c.spec());
            if (key == null) {
                continue;
            }
            for (String gw : c.spec().gateways()) {
                if (gw.equals(VirtualServiceGatewayAnalyzer.MESH)) {
                    continue;
                }
                String full = gw.contains("/") ? gw : c.namespace() + "/" + gw;
                Config<Gateway> gateway = gateways.get(full);
                if (gateway == null) {
                    continue;
                }
                for (KubeWorkload pod : ctx.pods()) {
                    if (!Selectors.matches(gateway.spec().selector(), pod.podLabels())) {
                        continue;
                    }
                    boolean authenticated = Stream.concat(authnByNamespace.getOrDefault(root, List.of()).stream(),
                                    authnByNamespace.getOrDefault(pod.namespace(), List.of()).stream())
                            .anyMatch(selector -> Selectors.matches(selector, pod.podLabels()));
                    if (!authenticated) {
                        ctx.report(Messages.JWT_CLAIM_BASED_ROUTING_WITHOUT_REQUEST_AUTHN.on(AnalysisContext.origin(c),
                                key, full, pod.name()));
                    }
                }
            }
        }
    }

    /** The first header (or without-header) match on a JWT claim, as Istio's {@code jwt.ToRoutingClaim} reads it. */
    private static String claimKey(VirtualService vs) {
        for (HttpRoute route : vs.http()) {
            for (HttpMatchRequest m : route.match()) {
                for (String key : Stream.concat(m.headers().keySet().stream(), m.withoutHeaders().keySet().stream()).toList()) {
                    if (isClaim(key)) {
                        return key;
                    }
                }
            }
        }
        return null;
    }

    static boolean isClaim(String header) {
        if (!header.toLowerCase(Locale.ROOT).startsWith(CLAIM_HEADER)) {
            return false;
        }
        String name = header.substring(CLAIM_HEADER.length());
        return (name.startsWith(".") && name.length() > 1)
                || (name.startsWith("[") && name.endsWith("]") && name.length() > 2);
    }
}
