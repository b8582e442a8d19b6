package dev.mizzen.pilot.security.authz;

import dev.mizzen.api.config.Config;
import dev.mizzen.pilot.security.SecurityFixtures;
import dev.mizzen.pilot.security.SecurityFixtures.Issuer;
import dev.mizzen.pilot.security.authn.FakeJwks;
import dev.mizzen.pilot.security.authn.JwksSource;
import dev.mizzen.pilot.security.authn.JwtAuthnFilter;
import dev.mizzen.pilot.security.authn.RequestAuthenticationIndex;
import dev.mizzen.pilot.networking.pgv.PgvValidator;
import dev.mizzen.pilot.testing.simulation.SecurityDecision;
import dev.mizzen.pilot.testing.simulation.SecurityFilterChain;
import dev.mizzen.pilot.testing.simulation.SecurityRequest;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Istio's documented decisions for the policies of its security tasks, checked by simulating Envoy (RBAC,
 * jwt_authn, ext_authz) over the filters we generate. Each group cites the page its policies and expected
 * answers come from; the policies are in {@code src/test/resources/security/tasks/} (see SOURCES.txt).
 */
class AuthzSimulationTest {
    enum Chain { HTTP, TCP, GATEWAY_HTTP, PROXYLESS }

    static final Issuer ISTIO_TESTING = Issuer.generate("testing@secure.istio.io", "DHFbpoIUqrY8t2zpA2qXfCmr5VO5ZEr4RzHU_-envvQ");
    /** Same issuer and key id, another key: a forged token. */
    static final Issuer FORGER = Issuer.generate("testing@secure.istio.io", "DHFbpoIUqrY8t2zpA2qXfCmr5VO5ZEr4RzHU_-envvQ");
    static final Issuer FOO = Issuer.generate("issuer-foo", "foo-key");
    static final JwksSource KEYS = (issuer, uri) -> issuer.equals(ISTIO_TESTING.issuer()) ? ISTIO_TESTING.jwks()
            : issuer.equals(FOO.issuer()) ? FOO.jwks() : FakeJwks.JSON;
    /** Istio's sample ext-authz server allows requests with {@code x-ext-authz: allow}. */
    static final Predicate<SecurityRequest> SAMPLE_AUTHORIZER = r -> "allow".equals(r.headers().get("x-ext-authz"));

    static final Workload PRODUCTPAGE = Workload.of("default", Map.of("app", "productpage", "version", "v1"));
    static final Workload DETAILS = Workload.of("default", Map.of("app", "details", "version", "v1"));
    static final Workload REVIEWS = Workload.of("default", Map.of("app", "reviews", "version", "v2"));
    static final Workload RATINGS = Workload.of("default", Map.of("app", "ratings", "version", "v1"));
    static final Workload HTTPBIN = Workload.of("foo", Map.of("app", "httpbin", "version", "v1"));
    static final Workload TCP_ECHO = Workload.of("foo", Map.of("app", "tcp-echo", "version", "v1"));
    static final Workload INGRESS = Workload.of("istio-system", Map.of("app", "istio-ingressgateway", "istio", "ingressgateway"));

    static final String PRODUCTPAGE_SA = "spiffe://cluster.local/ns/default/sa/bookinfo-productpage";
    static final String REVIEWS_SA = "spiffe://cluster.local/ns/default/sa/bookinfo-reviews";
    static final TrustDomainBundle CLUSTER_LOCAL = TrustDomainBundle.of("cluster.local");
    static final ExtAuthzProvider GRPC_AUTHZ = ExtAuthzProvider.grpc("sample-ext-authz-grpc",
            "ext-authz.foo.svc.cluster.local", 9000);

    record Case(String name, String yaml, Workload workload, Chain chain, AuthzOptions options, SecurityRequest request,
                int status, String shadow) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case http(String name, String yaml, Workload w, SecurityRequest r, int status) {
        return new Case(name, yaml, w, Chain.HTTP, AuthzOptions.of(CLUSTER_LOCAL, ProxyKind.SIDECAR_INBOUND)
                .withExtensionProviders(List.of(GRPC_AUTHZ)), r, status, null);
    }

    static Case with(Case c, Chain chain, AuthzOptions options) {
        return new Case(c.name, c.yaml, c.workload, chain, options, c.request, c.status, c.shadow);
    }

    static Case tcp(String name, String yaml, Workload w, int port, int status) {
        return with(http(name, yaml, w, SecurityRequest.tcp(port), status), Chain.TCP,
                AuthzOptions.of(CLUSTER_LOCAL, ProxyKind.SIDECAR_INBOUND).withExtensionProviders(List.of(GRPC_AUTHZ)));
    }

    static Case proxyless(String name, String yaml, Workload w, SecurityRequest r, int status) {
        return with(http(name, yaml, w, r, status), Chain.PROXYLESS, AuthzOptions.of(CLUSTER_LOCAL, ProxyKind.PROXYLESS_GRPC_SERVER));
    }

    static SecurityRequest get(String path) {
        return SecurityRequest.http("GET", path);
    }

    static String groups(Object groups) {
        return ISTIO_TESTING.token(Map.of("groups", groups));
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        // https://istio.io/latest/docs/tasks/security/authorization/authz-http/ : allow-nothing, then GET-only
        // viewers; details and reviews only for productpage's identity, ratings only for reviews'.
        String h = "authz-http.yaml";
        c.add(http("http: productpage GET from anyone", h, PRODUCTPAGE, get("/productpage"), 200));
        c.add(http("http: productpage POST denied", h, PRODUCTPAGE, SecurityRequest.http("POST", "/productpage"), 403));
        c.add(http("http: details GET from productpage", h, DETAILS, get("/details/0").from(PRODUCTPAGE_SA), 200));
        c.add(http("http: details GET from reviews denied", h, DETAILS, get("/details/0").from(REVIEWS_SA), 403));
        c.add(http("http: details GET plaintext denied", h, DETAILS, get("/details/0"), 403));
        c.add(http("http: details POST from productpage denied", h, DETAILS,
                SecurityRequest.http("POST", "/details/0").from(PRODUCTPAGE_SA), 403));
        c.add(http("http: reviews GET from productpage", h, REVIEWS, get("/reviews/0").from(PRODUCTPAGE_SA), 200));
        c.add(http("http: ratings GET from reviews", h, RATINGS, get("/ratings/0").from(REVIEWS_SA), 200));
        c.add(http("http: ratings GET from productpage denied", h, RATINGS, get("/ratings/0").from(PRODUCTPAGE_SA), 403));
        c.add(http("http: allow-nothing denies an unlisted workload", h, Workload.of("default", Map.of("app", "mongodb")),
                get("/"), 403));
        c.add(http("http: other namespaces are not affected", h, Workload.of("bar", Map.of("app", "productpage")),
                SecurityRequest.http("POST", "/"), 200));

        // https://istio.io/latest/docs/tasks/security/authorization/authz-tcp/ : ports 9000 and 9001 allowed,
        // 9002 not; an ALLOW rule with methods on TCP is ignored (denies all); a DENY rule with methods keeps its
        // port (or denies all when it has none).
        c.add(tcp("tcp: allowed port 9000", "authz-tcp-allow-ports.yaml", TCP_ECHO, 9000, 200));
        c.add(tcp("tcp: allowed port 9001", "authz-tcp-allow-ports.yaml", TCP_ECHO, 9001, 200));
        c.add(tcp("tcp: port 9002 denied", "authz-tcp-allow-ports.yaml", TCP_ECHO, 9002, 403));
        c.add(tcp("tcp: ALLOW with methods denies 9000", "authz-tcp-allow-methods.yaml", TCP_ECHO, 9000, 403));
        c.add(tcp("tcp: ALLOW with methods denies 9001", "authz-tcp-allow-methods.yaml", TCP_ECHO, 9001, 403));
        c.add(tcp("tcp: DENY with methods denies 9000", "authz-tcp-deny-methods.yaml", TCP_ECHO, 9000, 403));
        c.add(tcp("tcp: DENY with methods denies 9001", "authz-tcp-deny-methods.yaml", TCP_ECHO, 9001, 403));
        Workload tcpEchoBar = Workload.of("bar", Map.of("app", "tcp-echo"));
        c.add(tcp("tcp: DENY with methods and port denies 9000", "authz-tcp-deny-methods.yaml", tcpEchoBar, 9000, 403));
        c.add(tcp("tcp: DENY with methods and port allows 9001", "authz-tcp-deny-methods.yaml", tcpEchoBar, 9001, 200));
        c.add(http("tcp policy on an HTTP port: GET to 9000 allowed", "authz-tcp-allow-methods.yaml", TCP_ECHO,
                get("/").to("10.1.0.9", 9000), 200));
        c.add(http("tcp policy on an HTTP port: POST to 9000 denied", "authz-tcp-allow-methods.yaml", TCP_ECHO,
                SecurityRequest.http("POST", "/").to("10.1.0.9", 9000), 403));

        // https://istio.io/latest/docs/tasks/security/authorization/authz-deny/ : GET denied unless
        // x-token: admin; only /ip allowed.
        String d = "authz-deny.yaml";
        c.add(http("deny: GET /ip without x-token denied", d, HTTPBIN, get("/ip"), 403));
        c.add(http("deny: GET /ip with x-token admin", d, HTTPBIN, get("/ip").withHeader("x-token", "admin"), 200));
        c.add(http("deny: GET /get with x-token admin not allowed", d, HTTPBIN, get("/get").withHeader("x-token", "admin"), 403));
        c.add(http("deny: POST /ip allowed", d, HTTPBIN, SecurityRequest.http("POST", "/ip"), 200));
        c.add(http("deny: GET /ip with x-token guest denied", d, HTTPBIN, get("/ip").withHeader("x-token", "guest"), 403));

        // https://istio.io/latest/docs/tasks/security/authorization/authz-ingress/ : remoteIpBlocks on the
        // original client IP (X-Forwarded-For), ipBlocks on the direct peer.
        String in = "authz-ingress.yaml";
        AuthzOptions gateway = AuthzOptions.of(CLUSTER_LOCAL, ProxyKind.GATEWAY);
        c.add(with(http("ingress: client 1.2.3.4 allowed", in, INGRESS, get("/headers").withRemoteIp("1.2.3.4"), 200), Chain.GATEWAY_HTTP, gateway));
        c.add(with(http("ingress: client 5.6.7.8 allowed", in, INGRESS, get("/headers").withRemoteIp("5.6.7.8"), 200), Chain.GATEWAY_HTTP, gateway));
        c.add(with(http("ingress: client 9.9.9.9 denied", in, INGRESS, get("/headers").withRemoteIp("9.9.9.9"), 403), Chain.GATEWAY_HTTP, gateway));
        c.add(with(http("ingress: client 1.2.3.5 denied", in, INGRESS, get("/headers").withRemoteIp("1.2.3.5"), 403), Chain.GATEWAY_HTTP, gateway));
        c.add(with(http("ingress: denied peer block wins", in, INGRESS,
                get("/headers").withSourceIp("10.9.1.1").withRemoteIp("1.2.3.4"), 403), Chain.GATEWAY_HTTP, gateway));

        // https://istio.io/latest/docs/tasks/security/authorization/authz-jwt/ : an invalid token is 401, no
        // token 403 (a request principal is required), a valid token needs the claim groups=group1.
        String j = "authz-jwt.yaml";
        c.add(http("jwt: no token denied", j, HTTPBIN, get("/headers"), 403));
        c.add(http("jwt: invalid token 401", j, HTTPBIN, get("/headers").withBearer("invalidToken"), 401));
        c.add(http("jwt: forged token 401", j, HTTPBIN, get("/headers").withBearer(FORGER.token(Map.of("groups", List.of("group1")))), 401));
        c.add(http("jwt: valid token with group1", j, HTTPBIN, get("/headers").withBearer(groups(List.of("group1", "group2"))), 200));
        c.add(http("jwt: valid token without groups denied", j, HTTPBIN, get("/headers").withBearer(ISTIO_TESTING.token(Map.of())), 403));
        c.add(http("jwt: valid token of group2 only denied", j, HTTPBIN, get("/headers").withBearer(groups(List.of("group2"))), 403));
        c.add(http("jwt: groups as a string claim", j, HTTPBIN, get("/headers").withBearer(groups("group1")), 200));
        c.add(http("jwt: expired token 401", j, HTTPBIN, get("/headers").withBearer(ISTIO_TESTING.token(Map.of(
                "exp", new java.util.Date(System.currentTimeMillis() - 60_000), "groups", List.of("group1")))), 401));
        c.add(http("jwt: token of an unknown issuer 401", j, HTTPBIN,
                get("/headers").withBearer(new Issuer("other-issuer", ISTIO_TESTING.key()).token(Map.of())), 401));
        c.add(http("jwt: token in access_token parameter", j, HTTPBIN,
                get("/headers?access_token=" + groups(List.of("group1"))), 200));

        // https://istio.io/latest/docs/reference/config/security/request_authentication/ : audiences must
        // match; a DENY of notRequestPrincipals ["*"] requires a token on /admin/*.
        String au = "authz-jwt-audiences.yaml";
        c.add(http("jwt aud: token for web app on /admin", au, HTTPBIN,
                get("/admin/x").withBearer(FOO.token(Map.of("aud", "bookstore_web.apps.example.com"))), 200));
        c.add(http("jwt aud: wrong audience 401", au, HTTPBIN,
                get("/admin/x").withBearer(FOO.token(Map.of("aud", "other.example.com"))), 401));
        c.add(http("jwt aud: no token on /admin denied", au, HTTPBIN, get("/admin/x"), 403));
        c.add(http("jwt aud: no token elsewhere allowed", au, HTTPBIN, get("/public"), 200));
        c.add(http("jwt aud: token without aud 401", au, HTTPBIN, get("/public").withBearer(FOO.token(Map.of())), 401));

        // https://istio.io/latest/docs/tasks/security/authorization/authz-custom/ : only /headers goes to the
        // authorizer, which allows x-ext-authz: allow.
        String cu = "authz-custom.yaml";
        c.add(http("custom: /headers allowed by the authorizer", cu, HTTPBIN, get("/headers").withHeader("x-ext-authz", "allow"), 200));
        c.add(http("custom: /headers denied by the authorizer", cu, HTTPBIN, get("/headers").withHeader("x-ext-authz", "deny"), 403));
        c.add(http("custom: /ip does not ask the authorizer", cu, HTTPBIN, get("/ip").withHeader("x-ext-authz", "deny"), 200));
        c.add(tcp("custom: gRPC provider checks TCP connections", cu, HTTPBIN, 8000, 403));
        c.add(with(http("custom: unknown provider fails closed", cu, HTTPBIN, get("/headers").withHeader("x-ext-authz", "allow"), 403),
                Chain.HTTP, AuthzOptions.of(CLUSTER_LOCAL, ProxyKind.SIDECAR_INBOUND)));
        c.add(with(http("custom: unknown provider leaves other paths", cu, HTTPBIN, get("/ip"), 200),
                Chain.HTTP, AuthzOptions.of(CLUSTER_LOCAL, ProxyKind.SIDECAR_INBOUND)));
        c.add(with(tcp("custom: HTTP provider ignored on TCP", cu, HTTPBIN, 8000, 200), Chain.TCP,
                AuthzOptions.of(CLUSTER_LOCAL, ProxyKind.SIDECAR_INBOUND).withExtensionProviders(List.of(
                        ExtAuthzProvider.http("sample-ext-authz-grpc", "ext-authz.foo.svc.cluster.local", 8000)))));

        // https://istio.io/latest/docs/tasks/security/authorization/authz-dry-run/ : the DENY is only logged
        // (shadow result "denied" for /headers), requests pass.
        String dr = "authz-dry-run.yaml";
        Case dry = http("dry-run: /headers passes, shadow denied", dr, HTTPBIN, get("/headers"), 200);
        c.add(new Case(dry.name, dry.yaml, dry.workload, dry.chain, dry.options, dry.request, 200, "denied"));
        Case dry2 = http("dry-run: /ip passes, shadow allowed", dr, HTTPBIN, get("/ip"), 200);
        c.add(new Case(dry2.name, dry2.yaml, dry2.workload, dry2.chain, dry2.options, dry2.request, 200, "allowed"));

        // https://istio.io/latest/docs/tasks/security/authorization/authz-td-migration/ : a policy written for
        // old-td keeps working after the move to new-td only with the alias.
        String td = "authz-trust-domain.yaml";
        AuthzOptions oldTd = AuthzOptions.of(TrustDomainBundle.of("old-td"), ProxyKind.SIDECAR_INBOUND);
        AuthzOptions newTd = AuthzOptions.of(TrustDomainBundle.of("new-td"), ProxyKind.SIDECAR_INBOUND);
        AuthzOptions aliased = AuthzOptions.of(TrustDomainBundle.of("new-td", List.of("old-td")), ProxyKind.SIDECAR_INBOUND);
        c.add(with(http("td: old-td curl before migration", td, HTTPBIN, get("/ip").from("spiffe://old-td/ns/foo/sa/curl"), 200), Chain.HTTP, oldTd));
        c.add(with(http("td: new-td curl without alias denied", td, HTTPBIN, get("/ip").from("spiffe://new-td/ns/foo/sa/curl"), 403), Chain.HTTP, newTd));
        c.add(with(http("td: new-td curl with alias", td, HTTPBIN, get("/ip").from("spiffe://new-td/ns/foo/sa/curl"), 200), Chain.HTTP, aliased));
        c.add(with(http("td: old-td curl with alias", td, HTTPBIN, get("/ip").from("spiffe://old-td/ns/foo/sa/curl"), 200), Chain.HTTP, aliased));
        c.add(with(http("td: other account denied", td, HTTPBIN, get("/ip").from("spiffe://new-td/ns/foo/sa/other"), 403), Chain.HTTP, aliased));

        // https://istio.io/latest/docs/reference/config/security/authorization-policy/#Operation : {*} one
        // segment, {**} any, x* prefix, *x suffix; hosts compared case-insensitively, as written (port included).
        String pt = "authz-path-templates.yaml";
        String host = "httpbin.foo.svc.cluster.local:8000";
        c.add(http("paths: {*} one segment", pt, HTTPBIN, get("/store/abc/items").withHost(host), 200));
        c.add(http("paths: {*} not two segments", pt, HTTPBIN, get("/store/a/b/items").withHost(host), 403));
        c.add(http("paths: {**} any segments", pt, HTTPBIN, get("/x/y/public").withHost(host), 200));
        c.add(http("paths: exact", pt, HTTPBIN, get("/exact").withHost(host), 200));
        c.add(http("paths: exact, nothing more", pt, HTTPBIN, get("/exact/more").withHost(host), 403));
        c.add(http("paths: prefix", pt, HTTPBIN, get("/prefix/anything").withHost(host), 200));
        c.add(http("paths: suffix", pt, HTTPBIN, get("/img/a.png").withHost(host), 200));
        c.add(http("paths: query string ignored", pt, HTTPBIN, get("/exact?x=1").withHost(host), 200));
        c.add(http("hosts: case-insensitive", pt, HTTPBIN, get("/exact").withHost("HTTPBIN.foo.svc.cluster.local:8000"), 200));
        c.add(http("hosts: without the port not listed", pt, HTTPBIN, get("/exact").withHost("httpbin.foo.svc.cluster.local"), 403));
        c.add(http("hosts: suffix wildcard", pt, HTTPBIN, get("/exact").withHost("api.example.com"), 200));

        // https://istio.io/latest/docs/reference/config/security/authorization-policy/ : the root namespace
        // applies everywhere, DENY before ALLOW.
        String rn = "root-namespace.yaml";
        c.add(http("root: from dev denied", rn, HTTPBIN, get("/").fromServiceAccount("dev", "curl"), 403));
        c.add(http("root: from foo allowed", rn, HTTPBIN, get("/").fromServiceAccount("foo", "curl"), 200));
        c.add(http("root: plaintext allowed", rn, HTTPBIN, get("/"), 200));

        // Proxyless gRPC servers (Istio's grpcgen): DENY/ALLOW only; no JWT there, so a rule that needs a request
        // principal cannot allow.
        c.add(proxyless("proxyless: deny GET unless admin, admin passes", d, HTTPBIN, get("/ip").withHeader("x-token", "admin"), 200));
        c.add(proxyless("proxyless: deny GET unless admin", d, HTTPBIN, get("/ip"), 403));
        c.add(proxyless("proxyless: JWT rule cannot allow", j, HTTPBIN, get("/headers").withBearer(groups(List.of("group1"))), 403));
        c.add(proxyless("proxyless: details from productpage", h, DETAILS, get("/details/0").from(PRODUCTPAGE_SA), 200));
        c.add(proxyless("proxyless: details from reviews denied", h, DETAILS, get("/details/0").from(REVIEWS_SA), 403));
        c.add(proxyless("proxyless: dry-run DENY not enforced", dr, HTTPBIN, get("/headers"), 200));
        c.add(proxyless("proxyless: CUSTOM fails closed", cu, HTTPBIN, get("/headers").withHeader("x-ext-authz", "allow"), 403));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decisionIsIstios(Case c) {
        List<Config<?>> configs = SecurityFixtures.load("security/tasks/" + c.yaml);
        WorkloadPolicies policies = AuthorizationPolicyIndex.build(SecurityFixtures.authorizationPolicies(configs),
                "istio-system").forWorkload(c.workload);
        SecurityDecision decision;
        PgvValidator pgv = PgvValidator.forEnvoy();
        if (c.chain == Chain.TCP) {
            List<Filter> filters = NetworkRbacFilters.build(policies, c.options).filters();
            filters.forEach(f -> pgv.validate(f).assertValid());
            decision = SecurityFilterChain.tcp(filters, c.request, SAMPLE_AUTHORIZER);
        } else {
            List<HttpFilter> filters = new ArrayList<>();
            if (c.chain != Chain.PROXYLESS) {
                JwtAuthnFilter.build(RequestAuthenticationIndex.build(SecurityFixtures.requestAuthentications(configs),
                        "istio-system").forWorkload(c.workload), KEYS).ifPresent(filters::add);
            }
            filters.addAll(HttpRbacFilters.build(policies, c.options).filters());
            filters.forEach(f -> pgv.validate(f).assertValid());
            decision = SecurityFilterChain.http(filters, c.request, SAMPLE_AUTHORIZER);
        }
        assertThat(decision.status()).as("%s: %s -> %s", c.name, c.request, decision).isEqualTo(c.status);
        if (c.shadow != null) {
            assertThat(decision.shadowResult(HttpRbacFilters.RBAC_FILTER, "istio_dry_run_deny_"))
                    .as("dry-run result of %s", c.request).isEqualTo(c.shadow);
        }
    }

    @Test
    void tableCoversAtLeastSixtyRequests() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(60);
    }
}
