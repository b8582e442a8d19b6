package dev.mizzen.pilot.model;

import dev.mizzen.pilot.security.SecurityFixtures;
import dev.mizzen.pilot.security.authn.FakeJwks;
import dev.mizzen.pilot.security.authz.ExtAuthzProvider;
import dev.mizzen.pilot.security.authz.ProxyKind;
import dev.mizzen.pilot.security.authz.Workload;
import dev.mizzen.pilot.testing.MemoryConfigStore;
import dev.mizzen.pilot.testing.SecurityRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** What the push context knows of security policies: selection, providers resolved, the JWT keys of the push. */
class SecurityPoliciesTest {
    private static PushContext push(MeshSettings mesh, String... tasks) {
        String[] resources = java.util.Arrays.stream(tasks).map(t -> "security/tasks/" + t).toArray(String[]::new);
        return PushContext.build(1, mesh, SecurityRegistry.snapshot(),
                new MemoryConfigStore(SecurityFixtures.load(resources)).snapshot());
    }

    @Test
    void extensionProvidersAreResolvedAgainstTheRegistryAsIstioDoes() {
        MeshSettings mesh = MeshSettings.DEFAULT.withExtensionProviders(List.of(
                ExtAuthzProvider.grpc("by-namespace", "foo/" + SecurityRegistry.EXT_AUTHZ, 9000),
                ExtAuthzProvider.http("by-host", SecurityRegistry.EXT_AUTHZ, 8000),
                ExtAuthzProvider.grpc("wrong-namespace", "bar/" + SecurityRegistry.EXT_AUTHZ, 9000),
                ExtAuthzProvider.grpc("unknown", "nowhere.foo.svc.cluster.local", 9000)));
        SecurityPolicies security = push(mesh).security();
        assertThat(security.options(ProxyKind.SIDECAR_INBOUND).extensionProviders())
                .extracting(ExtAuthzProvider::name, ExtAuthzProvider::service, ExtAuthzProvider::cluster)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("by-namespace", SecurityRegistry.EXT_AUTHZ,
                                "outbound|9000||" + SecurityRegistry.EXT_AUTHZ),
                        org.assertj.core.groups.Tuple.tuple("by-host", SecurityRegistry.EXT_AUTHZ,
                                "outbound|8000||" + SecurityRegistry.EXT_AUTHZ));
        assertThat(security.providerProblems()).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("wrong-namespace").contains("bar/" + SecurityRegistry.EXT_AUTHZ))
                .anySatisfy(p -> assertThat(p).contains("unknown"));
    }

    @Test
    void theTrustDomainAndItsAliasesComeFromTheMesh() {
        MeshSettings mesh = new MeshSettings("cluster.local", "istio-system", "new-td", List.of("old-td"), List.of());
        assertThat(push(mesh).security().options(ProxyKind.GATEWAY).trustDomains().trustDomains())
                .containsExactly("new-td", "old-td");
    }

    @Test
    void jwtKeysAreReadOnceWhenThePushIsBuiltAndKeptByEndpointPushes() {
        AtomicInteger reads = new AtomicInteger();
        PushContext push = PushContext.build(1, MeshSettings.DEFAULT, SecurityRegistry.snapshot(),
                new MemoryConfigStore(SecurityFixtures.load("security/tasks/authz-jwt.yaml", "security/tasks/bookinfo-jwt.yaml"))
                        .snapshot(), (issuer, uri) -> {
                    reads.incrementAndGet();
                    return "{\"keys\":[]}";
                });
        assertThat(reads.get()).as("two policies name the same key set: one read").isEqualTo(1);
        String uri = "https://raw.githubusercontent.com/istio/istio/master/security/tools/jwt/samples/jwks.json";
        assertThat(push.security().jwks().jwks("testing@secure.istio.io", uri)).isEqualTo("{\"keys\":[]}");
        assertThat(push.security().jwks().jwks("other", "https://other.example.com/jwks")).isEqualTo(FakeJwks.JSON);
        assertThat(push.withEndpoints(2, SecurityRegistry.snapshot()).security()).isSameAs(push.security());
        assertThat(reads.get()).isEqualTo(1);
    }

    @Test
    void aPolicyAppliesWhereItsNamespaceAndSelectorSayItDoes() {
        SecurityPolicies security = push(MeshSettings.DEFAULT, "authz-http.yaml", "root-namespace.yaml").security();
        var detailsViewer = dev.mizzen.api.config.ConfigKey.of(dev.mizzen.api.config.ConfigKind.AUTHORIZATION_POLICY,
                "default", "details-viewer");
        var globalDeny = dev.mizzen.api.config.ConfigKey.of(dev.mizzen.api.config.ConfigKind.AUTHORIZATION_POLICY,
                "istio-system", "global-deny-dev");
        Workload details = Workload.of("default", Map.of("app", "details"));
        Workload detailsElsewhere = Workload.of("bar", Map.of("app", "details"));
        assertThat(security.applies(detailsViewer, details)).isTrue();
        assertThat(security.applies(detailsViewer, detailsElsewhere)).isFalse();
        assertThat(security.applies(detailsViewer, Workload.of("default", Map.of("app", "reviews")))).isFalse();
        assertThat(security.applies(globalDeny, detailsElsewhere)).isTrue();
        assertThat(security.authorizationPolicies(details).allow()).extracting(c -> c.name())
                .containsExactly("allow-nothing", "details-viewer");
    }
}
