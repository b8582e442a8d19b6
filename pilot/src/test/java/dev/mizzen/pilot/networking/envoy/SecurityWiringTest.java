package dev.mizzen.pilot.networking.envoy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.mizzen.api.config.Config;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.security.SecurityFixtures;
import dev.mizzen.pilot.security.SecurityFixtures.Issuer;
import dev.mizzen.pilot.security.authn.FakeJwks;
import dev.mizzen.pilot.security.authn.JwksSource;
import dev.mizzen.pilot.security.authz.ExtAuthzProvider;
import dev.mizzen.pilot.testing.EnvoyConfig;
import dev.mizzen.pilot.testing.IstioConfigs;
import dev.mizzen.pilot.testing.MemoryConfigStore;
import dev.mizzen.pilot.testing.Proxies;
import dev.mizzen.pilot.testing.SecurityRegistry;
import dev.mizzen.pilot.networking.pgv.PgvValidator;
import dev.mizzen.pilot.testing.simulation.CallMode;
import dev.mizzen.pilot.testing.simulation.Request;
import dev.mizzen.pilot.testing.simulation.SecurityRequest;
import dev.mizzen.pilot.testing.simulation.Simulation;
import dev.mizzen.pilot.testing.simulation.TlsMode;
import dev.mizzen.pilot.xds.PushSnapshot;
import dev.mizzen.pilot.xds.TypeUrls;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AuthorizationPolicies and RequestAuthentications enforced on Envoy sidecars and gateways: the LDS the generator
 * builds for a workload, run through the Envoy simulation (listener, filter chain, then the chain's security
 * filters and routing), allows and denies what Istio's security tasks document. The policies are those of
 * {@code src/test/resources/security/tasks/} (see SOURCES.txt there); every generated resource passes the PGV
 * checker.
 */
class SecurityWiringTest {
    static final Issuer ISSUER = Issuer.generate("testing@secure.istio.io", "wiring-key");
    /** istiod's JWKS cache, as far as these tests need it: the task's issuer has fetched keys. */
    static final JwksSource KEYS = (issuer, uri) -> issuer.equals(ISSUER.issuer()) ? ISSUER.jwks() : FakeJwks.JSON;
    /** Istio's sample ext-authz server allows requests with {@code x-ext-authz: allow}. */
    static final Predicate<SecurityRequest> AUTHORIZER = r -> "allow".equals(r.headers().get("x-ext-authz"));

    static final Proxy PRODUCTPAGE = Proxies.sidecar("productpage-v1-abc", "10.1.0.1", "default",
            Map.of("app", "productpage", "version", "v1"));
    static final Proxy DETAILS = Proxies.sidecar("details-v1-abc", "10.1.0.2", "default",
            Map.of("app", "details", "version", "v1"));
    static final Proxy REVIEWS = Proxies.sidecar("reviews-v2-abc", "10.1.0.4", "default",
            Map.of("app", "reviews", "version", "v2"));
    static final Proxy RATINGS = Proxies.sidecar("ratings-v1-abc", "10.1.0.6", "default",
            Map.of("app", "ratings", "version", "v1"));
    static final Proxy HTTPBIN = Proxies.sidecar("httpbin-abc", "10.2.0.1", "foo", Map.of("app", "httpbin", "version", "v1"));
    static final Proxy TCP_ECHO = Proxies.sidecar("tcp-echo-abc", "10.2.0.2", "foo", Map.of("app", "tcp-echo", "version", "v1"));
    static final Proxy INGRESS = Proxies.gateway("istio-system", Map.of("istio", "ingressgateway", "app", "istio-ingressgateway"));

    static final String PRODUCTPAGE_SA = "spiffe://cluster.local/ns/default/sa/bookinfo-productpage";
    static final String REVIEWS_SA = "spiffe://cluster.local/ns/default/sa/bookinfo-reviews";
    static final ExtAuthzProvider SAMPLE_AUTHZ = ExtAuthzProvider.grpc("sample-ext-authz-grpc",
            "foo/" + SecurityRegistry.EXT_AUTHZ, 9000);

    /** A push of these resources: {@code istio/...} samples, else tasks of {@code security/tasks/}. */
    static PushSnapshot push(MeshSettings mesh, String... resources) {
        List<Config<?>> configs = new ArrayList<>();
        for (String resource : resources) {
            configs.addAll(resource.startsWith("istio/") ? IstioConfigs.load("default", resource)
                    : SecurityFixtures.load("security/tasks/" + resource));
        }
        return PushSnapshot.fresh(PushContext.build(1, mesh, SecurityRegistry.snapshot(),
                new MemoryConfigStore(configs).snapshot(), KEYS));
    }

    static PushSnapshot push(String... resources) {
        return push(MeshSettings.DEFAULT, resources);
    }

    /** The proxy's config as Envoy subscribes to it, checked against Envoy's PGV rules, in the simulation. */
    static Simulation simulation(Proxy proxy, PushSnapshot push) {
        EnvoyConfig config = EnvoyConfig.of(proxy, push);
        List<Message> all = new ArrayList<>();
        for (List<XdsResource> list : List.of(config.clusters(), config.listeners(), config.routes(), config.endpoints())) {
            list.forEach(r -> all.add(r.body()));
        }
        PgvValidator.forEnvoy().validateAll(all).assertValid();
        Simulation sim = Simulation.of(all);
        assertThat(sim.configErrors()).as("config Envoy would refuse").isEmpty();
        return sim;
    }

    /** A plaintext HTTP request redirected to the workload's sidecar. */
    static Request inbound(Proxy proxy, int port, String method, String path) {
        return Request.http(proxy.ipAddresses().get(0), port).withMode(CallMode.INBOUND).withMethod(method).withPath(path)
                .withSource("10.1.0.50", 40000);
    }

    static int status(Simulation sim, Request request, String peer) {
        Simulation.Secured secured = sim.secured(request, peer, AUTHORIZER);
        assertThat(secured.decision()).as("%s reaches a filter chain: %s", request, secured).isNotNull();
        return secured.status();
    }

    static int status(Simulation sim, Request request) {
        return status(sim, request, null);
    }

    @Test
    void httpTaskOnBookinfoSidecars() {
        // istio.io tasks/security/authorization/authz-http: productpage GET-only for everyone, details and reviews
        // only for productpage's identity, ratings only for reviews'
        PushSnapshot push = push("authz-http.yaml");
        Simulation productpage = simulation(PRODUCTPAGE, push);
        assertThat(status(productpage, inbound(PRODUCTPAGE, 9080, "GET", "/productpage"))).isEqualTo(200);
        assertThat(status(productpage, inbound(PRODUCTPAGE, 9080, "POST", "/productpage"))).isEqualTo(403);
        Simulation.Secured allowed = productpage.secured(inbound(PRODUCTPAGE, 9080, "GET", "/productpage"), null, AUTHORIZER);
        assertThat(allowed.result().cluster()).as(allowed.result().describe()).isEqualTo("inbound|9080||");

        Simulation details = simulation(DETAILS, push);
        Request mtls = inbound(DETAILS, 9080, "GET", "/details/0").withTls(TlsMode.MTLS);
        assertThat(status(details, mtls, PRODUCTPAGE_SA)).isEqualTo(200);
        assertThat(status(details, mtls, REVIEWS_SA)).isEqualTo(403);
        assertThat(status(details, inbound(DETAILS, 9080, "GET", "/details/0"))).as("plaintext has no identity").isEqualTo(403);
        assertThat(status(details, mtls.withMethod("POST"), PRODUCTPAGE_SA)).isEqualTo(403);

        Simulation ratings = simulation(RATINGS, push);
        Request toRatings = inbound(RATINGS, 9080, "GET", "/ratings/0").withTls(TlsMode.MTLS);
        assertThat(status(ratings, toRatings, REVIEWS_SA)).isEqualTo(200);
        assertThat(status(ratings, toRatings, PRODUCTPAGE_SA)).isEqualTo(403);
    }

    @Test
    void workloadsWithDifferentLabelsGetTheirOwnPoliciesFromOneCache() {
        // listeners are cached per proxy group (type, namespace, labels, ...): policies select by namespace and
        // labels, so one push serves each workload its own, and replicas share one
        PushSnapshot push = push("authz-http.yaml");
        assertThat(rbacPolicies(DETAILS, push)).containsExactly("ns[default]-policy[allow-nothing]-rule[0]",
                "ns[default]-policy[details-viewer]-rule[0]");
        assertThat(rbacPolicies(REVIEWS, push)).containsExactly("ns[default]-policy[allow-nothing]-rule[0]",
                "ns[default]-policy[reviews-viewer]-rule[0]");
        Proxy otherDetails = Proxies.sidecar("details-v1-xyz", "10.1.0.22", "default", Map.of("app", "details", "version", "v1"));
        EnvoyGenerator generator = new EnvoyGenerator();
        assertThat(generator.generate(otherDetails, push, TypeUrls.LISTENER, Set.of()))
                .as("a replica is served the cached listeners")
                .isSameAs(generator.generate(DETAILS, push, TypeUrls.LISTENER, Set.of()));
        // and the behaviour follows: reviews' identity may not read details, but may read ratings
        Request fromReviews = inbound(DETAILS, 9080, "GET", "/").withTls(TlsMode.MTLS);
        assertThat(status(simulation(DETAILS, push), fromReviews, REVIEWS_SA)).isEqualTo(403);
        assertThat(status(simulation(RATINGS, push), inbound(RATINGS, 9080, "GET", "/").withTls(TlsMode.MTLS), REVIEWS_SA))
                .isEqualTo(200);
    }

    @Test
    void tcpTaskGuardsDeclaredPortsAndThePortsNoServiceDeclares() {
        // authz-tcp: 9000 and 9001 allowed, 9002 (on the pod, in no Service) denied
        Simulation tcpEcho = simulation(TCP_ECHO, push("authz-tcp-allow-ports.yaml"));
        Request tcp = Request.tcp("10.2.0.2", 9000).withMode(CallMode.INBOUND).withSource("10.1.0.50", 40000);
        assertThat(status(tcpEcho, tcp)).isEqualTo(200);
        assertThat(tcpEcho.secured(tcp, null, AUTHORIZER).result().cluster()).isEqualTo("inbound|9000||");
        assertThat(status(tcpEcho, Request.tcp("10.2.0.2", 9001).withMode(CallMode.INBOUND))).isEqualTo(200);
        Simulation.Secured toUndeclared = tcpEcho.secured(Request.tcp("10.2.0.2", 9002).withMode(CallMode.INBOUND), null,
                AUTHORIZER);
        assertThat(toUndeclared.chain()).isEqualTo("virtualInbound-catchall");
        assertThat(toUndeclared.status()).isEqualTo(403);
        // an ALLOW rule with methods cannot match TCP: nothing is allowed; a DENY rule with methods denies all
        assertThat(status(simulation(TCP_ECHO, push("authz-tcp-allow-methods.yaml")), tcp)).isEqualTo(403);
        assertThat(status(simulation(TCP_ECHO, push("authz-tcp-deny-methods.yaml")), tcp)).isEqualTo(403);
    }

    @Test
    void httpOnAPortNoServiceDeclaresIsJudgedAsHttp() {
        // productpage serves 9080; 8081 is in no Service: its HTTP goes through Istio's catch-all HTTP chain
        Simulation productpage = simulation(PRODUCTPAGE, push("authz-http.yaml"));
        Simulation.Secured get = productpage.secured(inbound(PRODUCTPAGE, 8081, "GET", "/metrics"), null, AUTHORIZER);
        assertThat(get.chain()).isEqualTo("virtualInbound-catchall-http");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.result().cluster()).isEqualTo(EnvoyNames.INBOUND_PASSTHROUGH_CLUSTER);
        assertThat(status(productpage, inbound(PRODUCTPAGE, 8081, "POST", "/metrics"))).isEqualTo(403);
        assertThat(status(productpage, Request.tcp("10.1.0.1", 8081).withMode(CallMode.INBOUND)))
                .as("GET-only rules cannot allow TCP").isEqualTo(403);
        // in mutual TLS: Istio's HTTP ALPN picks the HTTP chain, and the identity counts
        Simulation details = simulation(DETAILS, push("authz-http.yaml"));
        Request mtls = inbound(DETAILS, 8081, "GET", "/").withTls(TlsMode.MTLS);
        Simulation.Secured fromProductpage = details.secured(mtls, PRODUCTPAGE_SA, AUTHORIZER);
        assertThat(fromProductpage.chain()).isEqualTo("virtualInbound-catchall-http");
        assertThat(fromProductpage.status()).isEqualTo(200);
        assertThat(status(details, mtls, REVIEWS_SA)).isEqualTo(403);
        assertThat(status(details, Request.tcp("10.1.0.2", 8081).withMode(CallMode.INBOUND).withTls(TlsMode.MTLS),
                PRODUCTPAGE_SA)).isEqualTo(403);
    }

    @Test
    void withoutPoliciesTheListenersAreWhatTheyWere() {
        // policies of another namespace change nothing here; the passthrough keeps its plain TCP chains
        PushSnapshot none = push();
        PushSnapshot elsewhere = push("authz-deny.yaml", "authz-jwt.yaml");
        EnvoyGenerator generator = new EnvoyGenerator();
        assertThat(bytes(generator.generate(PRODUCTPAGE, elsewhere, TypeUrls.LISTENER, Set.of())))
                .isEqualTo(bytes(generator.generate(PRODUCTPAGE, none, TypeUrls.LISTENER, Set.of())));
        Listener inbound = EnvoyConfig.of(PRODUCTPAGE, none).listener("virtualInbound");
        assertThat(inbound.getFilterChainsList()).extracting(FilterChain::getName)
                .containsExactly("0.0.0.0_9080", "0.0.0.0_9080", "0.0.0.0_9080", "virtualInbound-catchall-tls",
                        "virtualInbound-catchall");
        assertThat(status(simulation(PRODUCTPAGE, none), inbound(PRODUCTPAGE, 9080, "POST", "/"))).isEqualTo(200);
    }

    @Test
    void jwtTaskOnHttpbin() {
        // authz-jwt: a token is required (requestPrincipals), an invalid one is 401, the claim groups must hold group1
        Simulation httpbin = simulation(HTTPBIN, push("authz-jwt.yaml"));
        Request headers = inbound(HTTPBIN, 80, "GET", "/headers");
        assertThat(status(httpbin, headers)).isEqualTo(403);
        assertThat(status(httpbin, headers.withHeader("authorization", "Bearer invalidToken"))).isEqualTo(401);
        String group1 = ISSUER.token(Map.of("groups", List.of("group1", "group2")));
        assertThat(status(httpbin, headers.withHeader("authorization", "Bearer " + group1))).isEqualTo(200);
        String group2 = ISSUER.token(Map.of("groups", List.of("group2")));
        assertThat(status(httpbin, headers.withHeader("authorization", "Bearer " + group2))).isEqualTo(403);
        // the keys were inlined from istiod's cache when the push was built
        JwtAuthentication jwt = unpack(httpFilters(HTTPBIN, push("authz-jwt.yaml"), 80).stream()
                .filter(f -> f.getName().equals("envoy.filters.http.jwt_authn")).findFirst().orElseThrow(), JwtAuthentication.class);
        assertThat(jwt.getProvidersMap().get("origins-0").getLocalJwks().getInlineString()).isEqualTo(ISSUER.jwks());
    }

    @Test
    void customTaskAsksTheMeshAuthorizerAfterResolvingItsService() {
        MeshSettings mesh = MeshSettings.DEFAULT.withExtensionProviders(List.of(SAMPLE_AUTHZ));
        Simulation httpbin = simulation(HTTPBIN, push(mesh, "authz-custom.yaml"));
        Request headers = inbound(HTTPBIN, 80, "GET", "/headers");
        assertThat(status(httpbin, headers.withHeader("x-ext-authz", "allow"))).isEqualTo(200);
        assertThat(status(httpbin, headers.withHeader("x-ext-authz", "deny"))).isEqualTo(403);
        assertThat(status(httpbin, inbound(HTTPBIN, 80, "GET", "/ip").withHeader("x-ext-authz", "deny")))
                .as("only /headers is sent to the authorizer").isEqualTo(200);
        ExtAuthz extAuthz = unpack(httpFilters(HTTPBIN, push(mesh, "authz-custom.yaml"), 80).stream()
                .filter(f -> f.getName().equals("envoy.filters.http.ext_authz")).findFirst().orElseThrow(), ExtAuthz.class);
        assertThat(extAuthz.getGrpcService().getEnvoyGrpc().getClusterName())
                .isEqualTo("outbound|9000||" + SecurityRegistry.EXT_AUTHZ);

        // a provider whose service is in no namespace of that name fails closed, as Istio's
        MeshSettings wrongNamespace = MeshSettings.DEFAULT.withExtensionProviders(List.of(ExtAuthzProvider.grpc(
                "sample-ext-authz-grpc", "bar/" + SecurityRegistry.EXT_AUTHZ, 9000)));
        Simulation unresolved = simulation(HTTPBIN, push(wrongNamespace, "authz-custom.yaml"));
        assertThat(status(unresolved, headers.withHeader("x-ext-authz", "allow"))).isEqualTo(403);
        assertThat(status(unresolved, inbound(HTTPBIN, 80, "GET", "/ip"))).isEqualTo(200);
    }

    @Test
    void httpFiltersRunInIstiosOrder() {
        // buildHTTPConnectionManager: metadata exchange, the CUSTOM builder, then authn (jwt_authn), then
        // DENY/ALLOW/AUDIT, then the stats filter and the router
        MeshSettings mesh = MeshSettings.DEFAULT.withExtensionProviders(List.of(SAMPLE_AUTHZ));
        assertThat(httpFilters(HTTPBIN, push(mesh, "authz-custom.yaml", "authz-jwt.yaml", "authz-deny.yaml"), 80))
                .extracting(HttpFilter::getName).containsExactly("istio.metadata_exchange", "envoy.filters.http.rbac",
                        "envoy.filters.http.ext_authz", "envoy.filters.http.jwt_authn", "envoy.filters.http.rbac",
                        "envoy.filters.http.rbac", "istio.stats", "envoy.filters.http.router");
    }

    @Test
    void dryRunPoliciesOnlyLog() {
        Simulation httpbin = simulation(HTTPBIN, push("authz-dry-run.yaml"));
        Simulation.Secured headers = httpbin.secured(inbound(HTTPBIN, 80, "GET", "/headers"), null, AUTHORIZER);
        assertThat(headers.status()).isEqualTo(200);
        assertThat(headers.decision().shadowResult("envoy.filters.http.rbac", "istio_dry_run_deny_")).isEqualTo("denied");
    }

    @Test
    void trustDomainAliasesComeFromTheMeshSettings() {
        // authz-td-migration: a policy written for old-td keeps working after the move to new-td with the alias
        Request get = inbound(HTTPBIN, 80, "GET", "/ip").withTls(TlsMode.MTLS);
        MeshSettings newTd = new MeshSettings("cluster.local", "istio-system", "new-td", List.of(), List.of());
        assertThat(status(simulation(HTTPBIN, push(newTd, "authz-trust-domain.yaml")), get, "spiffe://new-td/ns/foo/sa/curl"))
                .isEqualTo(403);
        Simulation aliased = simulation(HTTPBIN, push(newTd.withTrustDomainAliases(List.of("old-td")), "authz-trust-domain.yaml"));
        assertThat(status(aliased, get, "spiffe://new-td/ns/foo/sa/curl")).isEqualTo(200);
        assertThat(status(aliased, get, "spiffe://old-td/ns/foo/sa/curl")).isEqualTo(200);
        assertThat(status(aliased, get, "spiffe://new-td/ns/foo/sa/other")).isEqualTo(403);
    }

    @Test
    void rootNamespacePoliciesApplyEverywhere() {
        Simulation httpbin = simulation(HTTPBIN, push("root-namespace.yaml"));
        Request get = inbound(HTTPBIN, 80, "GET", "/").withTls(TlsMode.MTLS);
        assertThat(status(httpbin, get, "spiffe://cluster.local/ns/dev/sa/curl")).isEqualTo(403);
        assertThat(status(httpbin, get, "spiffe://cluster.local/ns/foo/sa/curl")).isEqualTo(200);
    }

    @Test
    void ingressTaskOnTheGateway() {
        // authz-ingress: only clients 1.2.3.4 and 5.6.7.0/24 through the ingress gateway; peers in 10.9.0.0/16 denied
        Simulation ingress = simulation(INGRESS, push("istio/bookinfo/networking/bookinfo-gateway.yaml", "authz-ingress.yaml"));
        Request page = Request.http("10.1.9.1", 8080).withMode(CallMode.GATEWAY).withPath("/productpage");
        Simulation.Secured allowed = ingress.secured(page.withSource("1.2.3.4", 5555), null, AUTHORIZER);
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.result().cluster()).isEqualTo("outbound|9080||productpage.default.svc.cluster.local");
        assertThat(status(ingress, page.withSource("5.6.7.8", 5555))).isEqualTo(200);
        assertThat(status(ingress, page.withSource("9.9.9.9", 5555))).isEqualTo(403);
        assertThat(status(ingress, page.withSource("10.9.1.1", 5555))).isEqualTo(403);
    }

    @Test
    void gatewayTcpChainsAreGuardedToo() {
        String tcpGateway = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: tcp-gateway, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers: [{port: {number: 31400, name: tcp, protocol: TCP}, hosts: ["*"]}]
                """;
        String tcpRoute = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: tcp-echo, namespace: istio-system}
                spec:
                  hosts: ["*"]
                  gateways: [tcp-gateway]
                  tcp: [{match: [{port: 31400}], route: [{destination: {host: tcp-echo.foo.svc.cluster.local, port: {number: 9000}}}]}]
                """;
        List<Config<?>> configs = new ArrayList<>(SecurityFixtures.load("security/tasks/authz-ingress.yaml"));
        configs.add(IstioConfigs.parse(tcpGateway, "istio-system", Instant.ofEpochSecond(1)));
        configs.add(IstioConfigs.parse(tcpRoute, "istio-system", Instant.ofEpochSecond(2)));
        PushSnapshot push = PushSnapshot.fresh(PushContext.build(1, MeshSettings.DEFAULT, SecurityRegistry.snapshot(),
                new MemoryConfigStore(configs).snapshot(), KEYS));
        Simulation ingress = simulation(INGRESS, push);
        Request tcp = Request.tcp("10.1.9.1", 31400).withMode(CallMode.GATEWAY);
        Simulation.Secured allowed = ingress.secured(tcp.withSource("1.2.3.4", 5555), null, AUTHORIZER);
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.result().cluster()).isEqualTo("outbound|9000||" + SecurityRegistry.TCP_ECHO);
        assertThat(status(ingress, tcp.withSource("9.9.9.9", 5555))).isEqualTo(403);
        assertThat(status(ingress, tcp.withSource("10.9.1.1", 5555))).isEqualTo(403);
    }

    /** The RBAC policy names of the workload's HTTP chain on port 9080. */
    private static Set<String> rbacPolicies(Proxy proxy, PushSnapshot push) {
        Set<String> names = new TreeSet<>();
        for (HttpFilter f : httpFilters(proxy, push, 9080)) {
            if (f.getTypedConfig().is(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class)) {
                RBAC rules = unpack(f, io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class).getRules();
                names.addAll(rules.getPoliciesMap().keySet());
            }
        }
        return names;
    }

    /** The HTTP filters of the plaintext chain of a served port of the workload's virtualInbound. */
    private static List<HttpFilter> httpFilters(Proxy proxy, PushSnapshot push, int port) {
        Listener inbound = EnvoyConfig.of(proxy, push).listener("virtualInbound");
        FilterChain chain = inbound.getFilterChainsList().stream()
                .filter(c -> c.getFilterChainMatch().getDestinationPort().getValue() == port
                        && c.getFilterChainMatch().getTransportProtocol().equals("raw_buffer"))
                .findFirst().orElseThrow();
        Filter hcm = chain.getFiltersList().get(chain.getFiltersCount() - 1);
        try {
            return hcm.getTypedConfig().unpack(HttpConnectionManager.class).getHttpFiltersList();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T extends Message> T unpack(HttpFilter filter, Class<T> type) {
        try {
            return filter.getTypedConfig().unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<com.google.protobuf.ByteString> bytes(List<XdsResource> resources) {
        return resources.stream().map(r -> r.body().toByteString()).toList();
    }
}
