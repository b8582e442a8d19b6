package dev.mizzen.pilot.networking.grpcgen;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mizzen.api.config.Config;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.security.SecurityFixtures;
import dev.mizzen.pilot.testing.MemoryConfigStore;
import dev.mizzen.pilot.testing.Proxies;
import dev.mizzen.pilot.testing.SecurityRegistry;
import dev.mizzen.pilot.networking.pgv.PgvValidator;
import dev.mizzen.pilot.testing.simulation.CallMode;
import dev.mizzen.pilot.testing.simulation.Request;
import dev.mizzen.pilot.testing.simulation.Simulation;
import dev.mizzen.pilot.testing.simulation.TlsMode;
import dev.mizzen.pilot.xds.PushSnapshot;
import dev.mizzen.pilot.xds.TypeUrls;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.grpc.xds.GrpcJavaXds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The inbound listener of a proxyless gRPC server ({@code XdsServerBuilder}), as grpc-java asks for it
 * ({@code xds.istio.io/grpc/lds/inbound/<ip>:<port>}): its shape against Istio's gRPC generator, accepted by
 * grpc-java's own LDS parser, and its RBAC filters judged by grpc-java's own authorization engine.
 */
class GrpcServerListenersTest {
    static final Proxy DETAILS = Proxies.grpc("details-v1-abc", "default", Map.of("app", "details", "version", "v1"));
    static final Proxy HTTPBIN = Proxies.grpc("httpbin-abc", "foo", Map.of("app", "httpbin", "version", "v1"));
    static final String DETAILS_LISTENER = "xds.istio.io/grpc/lds/inbound/0.0.0.0:9080";
    static final String HTTPBIN_LISTENER = "xds.istio.io/grpc/lds/inbound/0.0.0.0:80";
    static final X509Certificate PRODUCTPAGE = GrpcJavaXds.peerCertificate("spiffe://cluster.local/ns/default/sa/bookinfo-productpage");
    static final X509Certificate REVIEWS = GrpcJavaXds.peerCertificate("spiffe://cluster.local/ns/default/sa/bookinfo-reviews");

    private final GrpcGenerator generator = new GrpcGenerator();

    static PushSnapshot push(String... yamlOrTasks) {
        List<Config<?>> configs = new ArrayList<>();
        for (String s : yamlOrTasks) {
            configs.addAll(s.endsWith(".yaml") ? SecurityFixtures.load("security/tasks/" + s) : SecurityFixtures.parseYaml(s));
        }
        return PushSnapshot.fresh(PushContext.build(1, MeshSettings.DEFAULT, SecurityRegistry.snapshot(),
                new MemoryConfigStore(configs).snapshot()));
    }

    private Optional<Listener> listener(Proxy proxy, PushSnapshot push, String name) {
        List<XdsResource> out = generator.generate(proxy, push, TypeUrls.LISTENER, Set.of(name));
        assertThat(out.size()).isLessThanOrEqualTo(1);
        return out.stream().findFirst().map(r -> {
            try {
                Listener l = r.body().unpack(Listener.class);
                PgvValidator.forEnvoy().validate(l).assertValid();
                return l;
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Listener required(Proxy proxy, PushSnapshot push, String name) {
        return listener(proxy, push, name).orElseThrow(() -> new AssertionError("no listener " + name));
    }

    @Test
    void withoutPoliciesTheListenerHasIstiosShapeAndGrpcJavaAcceptsIt() throws InvalidProtocolBufferException {
        Listener listener = required(DETAILS, push(), DETAILS_LISTENER);
        // Istio's grpcgen buildInboundListeners: the requested name, the address from the name, no listener
        // filters, no use_original_dst (grpc-java NACKs either), one chain without a match
        assertThat(listener.getName()).isEqualTo(DETAILS_LISTENER);
        assertThat(listener.getAddress().getSocketAddress().getAddress()).isEqualTo("0.0.0.0");
        assertThat(listener.getAddress().getSocketAddress().getPortValue()).isEqualTo(9080);
        assertThat(listener.getTrafficDirection()).isEqualTo(TrafficDirection.INBOUND);
        assertThat(listener.getListenerFiltersList()).isEmpty();
        assertThat(listener.hasUseOriginalDst()).isFalse();
        assertThat(listener.getFilterChainsList()).singleElement().satisfies(c -> {
            assertThat(c.hasFilterChainMatch()).isFalse();
            assertThat(c.hasTransportSocket()).as("PERMISSIVE without Istio's tlsMode label is plaintext").isFalse();
        });
        HttpConnectionManager hcm = listener.getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
        assertThat(hcm.getRouteConfig().getVirtualHostsList()).singleElement().satisfies(vh -> {
            assertThat(vh.getDomainsList()).containsExactly("*");
            assertThat(vh.getRoutesList()).singleElement().satisfies(r -> {
                assertThat(r.getMatch().getPrefix()).isEqualTo("/");
                assertThat(r.hasNonForwardingAction()).isTrue();
            });
        });
        assertThat(hcm.getRouteConfig().getName()).isEqualTo("inbound|9080||");

        GrpcJavaXds.ServerListener parsed = GrpcJavaXds.parseServerListener(listener.toByteArray());
        assertThat(parsed.address()).isEqualTo("0.0.0.0:9080");
        assertThat(parsed.chains()).singleElement().isEqualTo(new GrpcJavaXds.Chain("inbound-plaintext", false, false,
                List.of("envoy.filters.http.router"), List.of("[*] non-forwarding")));
        assertThat(GrpcJavaXds.authorizes(listener.toByteArray(), "details.Details/Get", Map.of(), null)).isTrue();
    }

    @Test
    void httpTaskOnAProxylessDetailsServer() {
        // authz-http: details only for productpage's identity, only GET
        Listener listener = required(DETAILS, push("authz-http.yaml"), DETAILS_LISTENER);
        GrpcJavaXds.ServerListener parsed = GrpcJavaXds.parseServerListener(listener.toByteArray());
        assertThat(parsed.chains().get(0).httpFilters()).containsExactly("envoy.filters.http.rbac", "envoy.filters.http.router");
        // Istio's documented decisions for HTTP requests, through the Envoy simulation of the same RBAC filters
        Simulation sim = Simulation.of(List.of(listener));
        Request get = Request.http("10.1.0.99", 9080).withMode(CallMode.GATEWAY).withPath("/details/0");
        assertThat(sim.secured(get, null, r -> true).status()).isEqualTo(403);
        // grpc-java's engine: every gRPC call is a POST, so GET-only rules let none through, whoever calls
        assertThat(GrpcJavaXds.authorizes(listener.toByteArray(), "details.Details/Get", Map.of(), PRODUCTPAGE)).isFalse();
        assertThat(GrpcJavaXds.authorizes(listener.toByteArray(), "details.Details/Get", Map.of(), REVIEWS)).isFalse();
    }

    @Test
    void grpcJavasEngineEnforcesIdentityPathAndHeaderRules() {
        // a details server that productpage may call on its Details service only
        String policy = """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: details-grpc, namespace: default}
                spec:
                  selector: {matchLabels: {app: details}}
                  rules:
                  - from: [{source: {principals: ["cluster.local/ns/default/sa/bookinfo-productpage"]}}]
                    to: [{operation: {paths: ["/details.Details/*"]}}]
                """;
        byte[] details = required(DETAILS, push(policy), DETAILS_LISTENER).toByteArray();
        assertThat(GrpcJavaXds.authorizes(details, "details.Details/Get", Map.of(), PRODUCTPAGE)).isTrue();
        assertThat(GrpcJavaXds.authorizes(details, "details.Details/Get", Map.of(), REVIEWS)).isFalse();
        assertThat(GrpcJavaXds.authorizes(details, "details.Admin/Reset", Map.of(), PRODUCTPAGE)).isFalse();
        assertThat(GrpcJavaXds.authorizes(details, "details.Details/Get", Map.of(), null)).as("plaintext has no identity").isFalse();

        // authz-deny on httpbin: DENY GET without x-token admin (gRPC is POST: never matches), ALLOW only /ip
        byte[] httpbin = required(HTTPBIN, push("authz-deny.yaml"), HTTPBIN_LISTENER).toByteArray();
        assertThat(GrpcJavaXds.parseServerListener(httpbin).chains().get(0).httpFilters())
                .containsExactly("envoy.filters.http.rbac.DENY", "envoy.filters.http.rbac", "envoy.filters.http.router");
        assertThat(GrpcJavaXds.authorizes(httpbin, "ip", Map.of(), null)).isTrue();
        assertThat(GrpcJavaXds.authorizes(httpbin, "headers", Map.of(), null)).isFalse();

        // the root namespace's DENY of namespace dev, and foo's allow-all
        byte[] root = required(HTTPBIN, push("root-namespace.yaml"), HTTPBIN_LISTENER).toByteArray();
        assertThat(GrpcJavaXds.authorizes(root, "httpbin.Httpbin/Get", Map.of(),
                GrpcJavaXds.peerCertificate("spiffe://cluster.local/ns/dev/sa/curl"))).isFalse();
        assertThat(GrpcJavaXds.authorizes(root, "httpbin.Httpbin/Get", Map.of(),
                GrpcJavaXds.peerCertificate("spiffe://cluster.local/ns/foo/sa/curl"))).isTrue();

        // a DENY on a header
        String denyHeader = """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: deny-guest, namespace: default}
                spec:
                  selector: {matchLabels: {app: details}}
                  action: DENY
                  rules: [{when: [{key: "request.headers[x-user]", values: ["guest"]}]}]
                """;
        byte[] guarded = required(DETAILS, push(denyHeader), DETAILS_LISTENER).toByteArray();
        assertThat(GrpcJavaXds.authorizes(guarded, "details.Details/Get", Map.of("x-user", "guest"), null)).isFalse();
        assertThat(GrpcJavaXds.authorizes(guarded, "details.Details/Get", Map.of("x-user", "jason"), null)).isTrue();
    }

    @Test
    void whatIstiosGrpcGeneratorLetsThroughIsDeniedHere() {
        // an ALLOW policy without rules allows nothing (Istio's grpcgen leaves the empty ALLOW filter out: all pass)
        String allowNothing = """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: allow-nothing, namespace: default}
                spec: {}
                """;
        byte[] nothing = required(DETAILS, push(allowNothing), DETAILS_LISTENER).toByteArray();
        assertThat(GrpcJavaXds.authorizes(nothing, "details.Details/Get", Map.of(), PRODUCTPAGE)).isFalse();
        // CUSTOM cannot reach an authorizer from grpc-java: what its rules match is denied (Istio's ignores CUSTOM)
        byte[] custom = required(HTTPBIN, push("authz-custom.yaml"), HTTPBIN_LISTENER).toByteArray();
        assertThat(GrpcJavaXds.authorizes(custom, "headers", Map.of(), null)).isFalse();
        assertThat(GrpcJavaXds.authorizes(custom, "ip", Map.of(), null)).isTrue();
        // a dry-run policy is not enforced (Istio's enforces it)
        byte[] dryRun = required(HTTPBIN, push("authz-dry-run.yaml"), HTTPBIN_LISTENER).toByteArray();
        assertThat(GrpcJavaXds.authorizes(dryRun, "headers", Map.of(), null)).isTrue();
    }

    @Test
    void grpcJavaRejectsFiltersThatShareAName() throws InvalidProtocolBufferException {
        // why the DENY filter is named envoy.filters.http.rbac.DENY, as in Istio's gRPC generator
        Listener listener = required(HTTPBIN, push("authz-deny.yaml"), HTTPBIN_LISTENER);
        HttpConnectionManager hcm = listener.getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
        HttpConnectionManager.Builder sameNames = hcm.toBuilder();
        sameNames.getHttpFiltersBuilder(0).setName("envoy.filters.http.rbac");
        Listener.Builder broken = listener.toBuilder();
        broken.getFilterChainsBuilder(0).getFiltersBuilder(0).setTypedConfig(XdsResource.pack(sameNames.build()));
        assertThatThrownBy(() -> GrpcJavaXds.parseServerListener(broken.build().toByteArray()))
                .isInstanceOf(GrpcJavaXds.Rejected.class).hasMessageContaining("duplicate HttpFilter");
    }

    @ParameterizedTest
    @ValueSource(strings = {"authz-http.yaml", "authz-deny.yaml", "authz-jwt.yaml", "authz-custom.yaml", "authz-dry-run.yaml",
            "authz-path-templates.yaml", "root-namespace.yaml", "authz-trust-domain.yaml", "authz-ingress.yaml",
            "authz-jwt-audiences.yaml"})
    void everyTaskPolicyGivesAListenerGrpcJavaAccepts(String task) {
        for (Proxy proxy : List.of(DETAILS, HTTPBIN)) {
            String name = proxy == DETAILS ? DETAILS_LISTENER : HTTPBIN_LISTENER;
            Listener listener = required(proxy, push(task), name);
            GrpcJavaXds.ServerListener parsed = GrpcJavaXds.parseServerListener(listener.toByteArray());
            assertThat(parsed.chains()).singleElement().satisfies(c ->
                    assertThat(c.httpFilters()).last().isEqualTo("envoy.filters.http.router"));
        }
    }

    @Test
    void peerAuthenticationDecidesTheTransport() {
        String strict = """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: default}
                spec: {mtls: {mode: STRICT}}
                """;
        Listener mtls = required(DETAILS, push(strict), DETAILS_LISTENER);
        assertThat(GrpcJavaXds.parseServerListener(mtls.toByteArray()).chains()).singleElement()
                .satisfies(c -> {
                    assertThat(c.name()).isEqualTo("inbound-mtls");
                    assertThat(c.tls()).isTrue();
                    assertThat(c.requireClientCertificate()).isTrue();
                });
        DownstreamTlsContext tls = unpackTls(mtls);
        assertThat(tls.getCommonTlsContext().getTlsCertificateProviderInstance().getInstanceName()).isEqualTo("default");
        assertThat(tls.getCommonTlsContext().getValidationContext().getCaCertificateProviderInstance().getInstanceName())
                .isEqualTo("default");
        assertThat(tls.getCommonTlsContext().getValidationContext().getCaCertificateProviderInstance().getCertificateName())
                .isEqualTo("ROOTCA");
        // grpc-java checks the provider against its bootstrap: only Istio's agent's "default" exists there
        DownstreamTlsContext.Builder otherProvider = tls.toBuilder();
        otherProvider.getCommonTlsContextBuilder().getTlsCertificateProviderInstanceBuilder().setInstanceName("other");
        Listener.Builder unknown = mtls.toBuilder();
        unknown.getFilterChainsBuilder(0).getTransportSocketBuilder().setTypedConfig(XdsResource.pack(otherProvider.build()));
        assertThatThrownBy(() -> GrpcJavaXds.parseServerListener(unknown.build().toByteArray()))
                .isInstanceOf(GrpcJavaXds.Rejected.class).hasMessageContaining("not defined in the bootstrap");
        // mTLS required: a plaintext client gets no chain it can talk to
        Simulation sim = Simulation.of(List.of(mtls));
        Request call = Request.http("10.1.0.99", 9080).withMode(CallMode.GATEWAY);
        assertThat(sim.secured(call, null, r -> true).decision()).isNull();
        assertThat(sim.secured(call.withTls(TlsMode.MTLS), "spiffe://cluster.local/ns/default/sa/any", r -> true).status())
                .isEqualTo(200);

        String disable = strict.replace("STRICT", "DISABLE");
        assertThat(GrpcJavaXds.parseServerListener(required(DETAILS, push(disable), DETAILS_LISTENER).toByteArray())
                .chains().get(0).tls()).isFalse();
        // PERMISSIVE (the default) is plaintext, unless the pod says its clients use Istio mTLS
        Proxy labelled = Proxies.grpc("details-v1-xyz", "default",
                Map.of("app", "details", "version", "v1", "security.istio.io/tlsMode", "istio"));
        assertThat(GrpcJavaXds.parseServerListener(required(labelled, push(), DETAILS_LISTENER).toByteArray())
                .chains().get(0).requireClientCertificate()).isTrue();
        // port-level settings count, by the port the server listens on
        String portLevel = """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: details, namespace: default}
                spec:
                  selector: {matchLabels: {app: details}}
                  mtls: {mode: DISABLE}
                  portLevelMtls: {"9080": {mode: STRICT}}
                """;
        assertThat(required(DETAILS, push(portLevel), DETAILS_LISTENER).getFilterChains(0).getName()).isEqualTo("inbound-mtls");
    }

    @Test
    void aClientWhoseDestinationRuleSaysIstioMutualTalksMtlsToAStrictServer() throws InvalidProtocolBufferException {
        // the STRICT server wants client certificates; a proxyless client sends one when a DestinationRule says
        // ISTIO_MUTUAL (Istio's gRPC generator has no automatic mTLS), verifying the server's identity
        String mutual = """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: details, namespace: default}
                spec:
                  host: details.default.svc.cluster.local
                  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
                """;
        Proxy client = Proxies.grpc("productpage-v1-abc", "default", Map.of("app", "productpage"));
        String cluster = "outbound|9080||details.default.svc.cluster.local";
        List<XdsResource> clusters = generator.generate(client, push(mutual), TypeUrls.CLUSTER, Set.of(cluster));
        io.envoyproxy.envoy.config.cluster.v3.Cluster tls = clusters.get(0).body().unpack(io.envoyproxy.envoy.config.cluster.v3.Cluster.class);
        PgvValidator.forEnvoy().validate(tls).assertValid();
        assertThat(GrpcJavaXds.parseCluster(tls.toByteArray())).isEqualTo(new GrpcJavaXds.ClientCluster(cluster, true,
                List.of("spiffe://cluster.local/ns/default/sa/bookinfo-details")));
        // without the DestinationRule: plaintext, as Istio's
        assertThat(GrpcJavaXds.parseCluster(generator.generate(client, push(), TypeUrls.CLUSTER, Set.of(cluster)).get(0).body()
                .unpack(io.envoyproxy.envoy.config.cluster.v3.Cluster.class).toByteArray()).tls()).isFalse();
    }

    @Test
    void aPortNoServiceServesGetsNoListener() {
        // Istio: "has no service instance for port": grpc-java then does not serve, rather than serve unguarded
        PushSnapshot push = push("authz-http.yaml");
        assertThat(listener(DETAILS, push, "xds.istio.io/grpc/lds/inbound/0.0.0.0:9999")).isEmpty();
        Proxy unknown = Proxies.grpc("lonely-abc", "default", Map.of("app", "lonely"));
        assertThat(listener(unknown, push, DETAILS_LISTENER)).isEmpty();
        for (String bad : List.of("xds.istio.io/grpc/lds/inbound/", "xds.istio.io/grpc/lds/inbound/0.0.0.0",
                "xds.istio.io/grpc/lds/inbound/0.0.0.0:x", "xds.istio.io/grpc/lds/inbound/0.0.0.0:70000",
                "xds.istio.io/grpc/lds/inbound/:9080")) {
            assertThat(listener(DETAILS, push, bad)).as(bad).isEmpty();
        }
    }

    @Test
    void theAddressIsTheOneTheServerListensOn() {
        // grpc-java refuses a listener whose address differs from its own ("Listener address mismatch")
        Listener v6 = required(DETAILS, push(), "xds.istio.io/grpc/lds/inbound/[::]:9080");
        assertThat(v6.getAddress().getSocketAddress().getAddress()).isEqualTo("::");
        Listener pod = required(DETAILS, push(), "xds.istio.io/grpc/lds/inbound/10.1.0.99:9080");
        assertThat(GrpcJavaXds.parseServerListener(pod.toByteArray()).address()).isEqualTo("10.1.0.99:9080");
    }

    @Test
    void serversWithDifferentLabelsGetTheirOwnPoliciesFromOneCache() {
        PushSnapshot push = push("authz-http.yaml");
        Proxy reviews = Proxies.grpc("reviews-v2-abc", "default", Map.of("app", "reviews", "version", "v2"));
        byte[] details = required(DETAILS, push, DETAILS_LISTENER).toByteArray();
        byte[] forReviews = required(reviews, push, DETAILS_LISTENER).toByteArray();
        assertThat(new String(details, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("default-details-viewer-0")
                .doesNotContain("reviews-viewer");
        assertThat(new String(forReviews, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("default-reviews-viewer-0")
                .doesNotContain("details-viewer");
    }

    private static DownstreamTlsContext unpackTls(Listener listener) {
        try {
            return listener.getFilterChains(0).getTransportSocket().getTypedConfig().unpack(DownstreamTlsContext.class);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
