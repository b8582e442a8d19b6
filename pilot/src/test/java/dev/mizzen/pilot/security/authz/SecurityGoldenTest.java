package dev.mizzen.pilot.security.authz;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.mizzen.api.config.Config;
import dev.mizzen.pilot.security.SecurityFixtures;
import dev.mizzen.pilot.security.authn.JwtAuthnFilter;
import dev.mizzen.pilot.security.authn.RequestAuthenticationIndex;
import dev.mizzen.pilot.testing.XdsJson;
import dev.mizzen.pilot.networking.pgv.PgvValidator;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated security filters for the policies of Istio's security tasks on Bookinfo (and httpbin)
 * workloads, as JSON golden files ({@code security/<case>.golden.json}, regenerated only with
 * {@code -Dgolden.update=true}); every filter passes Envoy's PGV rules.
 */
class SecurityGoldenTest {
    static final JsonFormat.Printer PRINTER = JsonFormat.printer().sortingMapKeys().usingTypeRegistry(
            JsonFormat.TypeRegistry.newBuilder()
                    .add(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.filters.network.ext_authz.v3.ExtAuthz.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.path.match.uri_template.v3.UriTemplateMatchConfig.getDescriptor())
                    .build());

    enum Chains { HTTP, HTTP_AND_TCP }

    record Case(String name, String yaml, Workload workload, AuthzOptions options, Chains chains) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final AuthzOptions SIDECAR = AuthzOptions.of(TrustDomainBundle.of("cluster.local"), ProxyKind.SIDECAR_INBOUND)
            .withExtensionProviders(List.of(AuthzSimulationTest.GRPC_AUTHZ));

    static Stream<Case> cases() {
        return Stream.of(
                new Case("bookinfo-productpage-authz-http", "authz-http.yaml", AuthzSimulationTest.PRODUCTPAGE, SIDECAR, Chains.HTTP_AND_TCP),
                new Case("bookinfo-details-authz-http", "authz-http.yaml", AuthzSimulationTest.DETAILS, SIDECAR, Chains.HTTP_AND_TCP),
                new Case("bookinfo-reviews-authz-http", "authz-http.yaml", AuthzSimulationTest.REVIEWS, SIDECAR, Chains.HTTP),
                new Case("bookinfo-ratings-authz-http", "authz-http.yaml", AuthzSimulationTest.RATINGS, SIDECAR, Chains.HTTP_AND_TCP),
                new Case("bookinfo-productpage-jwt", "bookinfo-jwt.yaml", AuthzSimulationTest.PRODUCTPAGE, SIDECAR, Chains.HTTP_AND_TCP),
                new Case("bookinfo-details-proxyless", "authz-http.yaml", AuthzSimulationTest.DETAILS,
                        SIDECAR.withProxyKind(ProxyKind.PROXYLESS_GRPC_SERVER), Chains.HTTP),
                new Case("httpbin-custom", "authz-custom.yaml", AuthzSimulationTest.HTTPBIN, SIDECAR, Chains.HTTP_AND_TCP),
                new Case("httpbin-dry-run", "authz-dry-run.yaml", AuthzSimulationTest.HTTPBIN, SIDECAR, Chains.HTTP_AND_TCP),
                new Case("httpbin-paths-hosts", "authz-path-templates.yaml", AuthzSimulationTest.HTTPBIN, SIDECAR, Chains.HTTP),
                new Case("tcp-echo-deny-methods", "authz-tcp-deny-methods.yaml", AuthzSimulationTest.TCP_ECHO, SIDECAR, Chains.HTTP_AND_TCP),
                new Case("ingress-gateway", "authz-ingress.yaml", AuthzSimulationTest.INGRESS,
                        SIDECAR.withProxyKind(ProxyKind.GATEWAY), Chains.HTTP),
                new Case("httpbin-trust-domain-aliases", "authz-trust-domain.yaml", AuthzSimulationTest.HTTPBIN,
                        AuthzOptions.of(TrustDomainBundle.of("new-td", List.of("old-td")), ProxyKind.SIDECAR_INBOUND), Chains.HTTP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void filtersMatchTheirGoldenFile(Case c) {
        List<Config<?>> configs = SecurityFixtures.load("security/tasks/" + c.yaml);
        WorkloadPolicies policies = AuthorizationPolicyIndex.build(SecurityFixtures.authorizationPolicies(configs),
                "istio-system").forWorkload(c.workload);
        List<HttpFilter> http = new ArrayList<>();
        if (c.options.proxyKind() != ProxyKind.PROXYLESS_GRPC_SERVER) {
            JwtAuthnFilter.build(RequestAuthenticationIndex.build(SecurityFixtures.requestAuthentications(configs),
                    "istio-system").forWorkload(c.workload), (issuer, uri) -> "{\"keys\":[]}").ifPresent(http::add);
        }
        AuthzFilters<HttpFilter> authz = HttpRbacFilters.build(policies, c.options);
        http.addAll(authz.filters());
        List<Message> all = new ArrayList<>(http);
        List<String> warnings = new ArrayList<>(authz.warnings());
        if (c.chains == Chains.HTTP_AND_TCP) {
            AuthzFilters<Filter> tcp = NetworkRbacFilters.build(policies, c.options);
            all.addAll(tcp.filters());
            warnings.addAll(tcp.warnings());
        }
        PgvValidator pgv = PgvValidator.forEnvoy();
        all.forEach(f -> pgv.validate(f).assertValid());
        String json = all.stream().map(SecurityGoldenTest::print).collect(Collectors.joining(",\n", "[\n", "\n]\n"))
                + warnings.stream().map(w -> "// warning: " + w + "\n").collect(Collectors.joining());
        XdsJson.assertGolden("security/" + c.name + ".golden.json", json);
        assertThat(all).isNotEmpty();
    }

    static String print(Message m) {
        try {
            return PRINTER.print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> unused() {
        return Map.of();
    }
}
