package dev.mizzen.pilot.xds;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.pilot.model.Location;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.model.Protocol;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.Resolution;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.ServicePort;
import dev.mizzen.pilot.model.TargetPort;
import dev.mizzen.pilot.push.PushRequest;
import dev.mizzen.pilot.serviceregistry.RegistrySnapshot;
import dev.mizzen.pilot.testing.BookinfoRegistry;
import dev.mizzen.pilot.testing.IstioConfigs;
import dev.mizzen.pilot.testing.MemoryConfigStore;
import dev.mizzen.pilot.testing.Proxies;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which proxies a full push reaches: Sidecar resources keep a change in one namespace from the others; a change
 * of AuthorizationPolicies, RequestAuthentications or JWT keys reaches only the workloads they select, and only
 * their listeners.
 */
class PushScopeTest {
    private static final String ORDERS = "orders.shop.svc.cluster.local";
    /** every namespace imports only its own config and services */
    private static final String SIDECARS = """
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: default, namespace: %s}
            spec:
              egress: [{hosts: ["./*"]}]
            """;
    private static final String ORDERS_ROUTE = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: orders, namespace: shop}
            spec:
              hosts: [%s]
              http: [{route: [{destination: {host: orders}}]}]
            """;

    private static final Proxy PRODUCTPAGE = Proxies.sidecar("productpage-v1-abc", "10.1.0.1", "default", Map.of("app", "productpage"));
    private static final Proxy ORDERS_CLIENT = Proxies.sidecar("cart-abc", "10.2.0.1", "shop", Map.of("app", "cart"));
    private static final Proxy GATEWAY = Proxies.gateway("istio-system", Map.of("istio", "ingressgateway"));
    private static final Proxy PROXYLESS = Proxies.grpc("client-abc", "default", Map.of("app", "client"));

    private static RegistrySnapshot registry() {
        RegistrySnapshot bookinfo = BookinfoRegistry.snapshot();
        Map<String, Service> services = new HashMap<>(bookinfo.services());
        services.put(ORDERS, new Service(ORDERS, "shop", "orders", "10.96.1.1",
                List.of(new ServicePort("http", 8080, TargetPort.of(8080), Protocol.HTTP)), Map.of("app", "orders"),
                Map.of("app", "orders"), Set.of(), Resolution.CLIENT_SIDE_LB, Location.MESH_INTERNAL));
        return new RegistrySnapshot(services, bookinfo.endpoints(), Map.of());
    }

    private static PushContext context(boolean scoped, String... yamls) {
        List<Config<?>> configs = new ArrayList<>();
        int i = 0;
        if (scoped) {
            for (String namespace : List.of("default", "shop")) {
                configs.add(IstioConfigs.parse(SIDECARS.formatted(namespace), namespace, Instant.ofEpochSecond(i++)));
            }
        }
        for (String yaml : yamls) {
            configs.add(IstioConfigs.parse(yaml, "shop", Instant.ofEpochSecond(100 + i++)));
        }
        return PushContext.build(1, MeshSettings.DEFAULT, registry(), new MemoryConfigStore(configs).snapshot());
    }

    private static final PushRequest ORDERS_EDIT = PushRequest.config(new ConfigKey(ConfigKind.VIRTUAL_SERVICE, "shop", "orders"));

    @Test
    void aVirtualServiceEditReachesOnlySidecarsWhoseScopeTakesItIn() {
        PushScope scope = PushScope.of(ORDERS_EDIT, context(true, ORDERS_ROUTE.formatted("orders")),
                context(true, ORDERS_ROUTE.formatted("orders")));
        assertThat(scope.concerns(ORDERS_CLIENT)).isTrue();
        assertThat(scope.concerns(PRODUCTPAGE)).isFalse();
        // gateways and proxyless clients are not narrowed by Sidecar resources
        assertThat(scope.concerns(GATEWAY)).isTrue();
        assertThat(scope.concerns(PROXYLESS)).isTrue();
    }

    @Test
    void withoutSidecarResourcesEverySidecarSeesEverythingAndIsReached() {
        PushScope scope = PushScope.of(ORDERS_EDIT, context(false, ORDERS_ROUTE.formatted("orders")),
                context(false, ORDERS_ROUTE.formatted("orders")));
        assertThat(scope.concerns(PRODUCTPAGE)).isTrue();
    }

    @Test
    void theHostsBeforeTheChangeCountToo() {
        String ratings = "ratings.default.svc.cluster.local";
        // a VirtualService of the default namespace stops routing ratings and routes orders instead
        String before = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: moved, namespace: default}
                spec:
                  hosts: [%s]
                  http: [{route: [{destination: {host: %s}}]}]
                """;
        PushRequest edit = PushRequest.config(new ConfigKey(ConfigKind.VIRTUAL_SERVICE, "default", "moved"));
        PushContext was = PushContext.build(1, MeshSettings.DEFAULT, registry(), new MemoryConfigStore(List.of(
                IstioConfigs.parse(SIDECARS.formatted("shop"), "shop", Instant.ofEpochSecond(1)),
                IstioConfigs.parse(before.formatted(ratings, ratings), "default", Instant.ofEpochSecond(2)))).snapshot());
        PushContext is = PushContext.build(2, MeshSettings.DEFAULT, registry(), new MemoryConfigStore(List.of(
                IstioConfigs.parse(SIDECARS.formatted("shop"), "shop", Instant.ofEpochSecond(1)))).snapshot());
        PushScope scope = PushScope.of(edit, was, is);
        // productpage (default namespace, default scope) held routes from it: it must hear that they are gone
        assertThat(scope.concerns(PRODUCTPAGE)).isTrue();
        assertThat(scope.concerns(ORDERS_CLIENT)).isFalse();
    }

    @Test
    void aServiceChangeReachesOnlySidecarsThatSeeTheService() {
        PushScope scope = PushScope.of(PushRequest.service(ORDERS), context(true), context(true));
        assertThat(scope.concerns(ORDERS_CLIENT)).isTrue();
        assertThat(scope.concerns(PRODUCTPAGE)).isFalse();
    }

    @Test
    void otherKindsAndUnnamedCausesReachEveryone() {
        PushRequest gateway = PushRequest.config(new ConfigKey(ConfigKind.GATEWAY, "shop", "gw"));
        PushRequest sidecar = PushRequest.config(new ConfigKey(ConfigKind.SIDECAR, "shop", "default"));
        for (PushRequest request : List.of(gateway, sidecar, PushRequest.full("secret"), ORDERS_EDIT.merge(gateway))) {
            assertThat(PushScope.of(request, context(true), context(true)).concerns(PRODUCTPAGE)).as(request.toString()).isTrue();
        }
        // the first push has nothing to compare with
        assertThat(PushScope.of(ORDERS_EDIT, null, context(true)).concerns(PRODUCTPAGE)).isTrue();
    }

    private static final Proxy DETAILS = Proxies.sidecar("details-v1-abc", "10.1.0.2", "default", Map.of("app", "details"));
    private static final Proxy DETAILS_SERVER = Proxies.grpc("details-grpc-abc", "default", Map.of("app", "details"));
    private static final String DETAILS_POLICY = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: details-viewer, namespace: default}
            spec:
              selector: {matchLabels: {app: %s}}
              rules: [{from: [{source: {principals: ["cluster.local/ns/default/sa/bookinfo-productpage"]}}]}]
            """;
    private static final ConfigKey DETAILS_VIEWER = new ConfigKey(ConfigKind.AUTHORIZATION_POLICY, "default", "details-viewer");

    private static PushContext security(String... yamls) {
        List<Config<?>> configs = new ArrayList<>();
        for (String yaml : yamls) {
            configs.add(IstioConfigs.parse(yaml, "default", Instant.ofEpochSecond(100 + configs.size())));
        }
        return PushContext.build(1, MeshSettings.DEFAULT, registry(), new MemoryConfigStore(configs).snapshot());
    }

    @Test
    void anAuthorizationPolicyEditReachesOnlyTheListenersOfTheWorkloadsItSelects() {
        PushScope scope = PushScope.of(PushRequest.config(DETAILS_VIEWER), security(DETAILS_POLICY.formatted("details")),
                security(DETAILS_POLICY.formatted("details")));
        assertThat(scope.concerns(DETAILS)).isTrue();
        assertThat(scope.concerns(DETAILS_SERVER)).as("a proxyless server is a workload too").isTrue();
        assertThat(scope.concerns(PRODUCTPAGE)).isFalse();
        assertThat(scope.concerns(GATEWAY)).isFalse();
        assertThat(scope.concerns(PROXYLESS)).isFalse();
        assertThat(scope.concerns(ORDERS_CLIENT)).isFalse();
        assertThat(scope.concernsType(TypeUrls.LISTENER)).isTrue();
        for (String type : List.of(TypeUrls.CLUSTER, TypeUrls.ROUTE, TypeUrls.ENDPOINT, TypeUrls.SECRET)) {
            assertThat(scope.concernsType(type)).as(type).isFalse();
        }
    }

    @Test
    void theWorkloadsSelectedBeforeTheChangeCountToo() {
        Proxy reviews = Proxies.sidecar("reviews-v1-abc", "10.1.0.3", "default", Map.of("app", "reviews"));
        PushScope moved = PushScope.of(PushRequest.config(DETAILS_VIEWER), security(DETAILS_POLICY.formatted("details")),
                security(DETAILS_POLICY.formatted("reviews")));
        assertThat(moved.concerns(DETAILS)).as("it must lose the policy").isTrue();
        assertThat(moved.concerns(reviews)).isTrue();
        assertThat(moved.concerns(PRODUCTPAGE)).isFalse();
        PushScope deleted = PushScope.of(PushRequest.config(DETAILS_VIEWER), security(DETAILS_POLICY.formatted("details")),
                security());
        assertThat(deleted.concerns(DETAILS)).isTrue();
        assertThat(deleted.concerns(PRODUCTPAGE)).isFalse();
    }

    @Test
    void namespaceWideAndRootNamespacePoliciesReachTheirNamespaces() {
        String namespaceWide = """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: allow-nothing, namespace: default}
                spec: {}
                """;
        ConfigKey allowNothing = new ConfigKey(ConfigKind.AUTHORIZATION_POLICY, "default", "allow-nothing");
        PushScope inDefault = PushScope.of(PushRequest.config(allowNothing), security(), security(namespaceWide));
        assertThat(inDefault.concerns(PRODUCTPAGE)).isTrue();
        assertThat(inDefault.concerns(DETAILS)).isTrue();
        assertThat(inDefault.concerns(ORDERS_CLIENT)).isFalse();
        assertThat(inDefault.concerns(GATEWAY)).isFalse();

        String meshWide = namespaceWide.replace("namespace: default", "namespace: istio-system");
        ConfigKey root = new ConfigKey(ConfigKind.AUTHORIZATION_POLICY, "istio-system", "allow-nothing");
        PushScope everywhere = PushScope.of(PushRequest.config(root), security(), security(meshWide));
        for (Proxy proxy : List.of(PRODUCTPAGE, ORDERS_CLIENT, GATEWAY, PROXYLESS)) {
            assertThat(everywhere.concerns(proxy)).as(proxy.id()).isTrue();
        }
    }

    @Test
    void aGatewayApiPolicyReachesTheGatewayItTargets() {
        String targeted = """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: gw-policy, namespace: istio-system}
                spec:
                  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: my-gateway}]
                  action: DENY
                  rules: [{from: [{source: {ipBlocks: ["10.9.0.0/16"]}}]}]
                """;
        ConfigKey key = new ConfigKey(ConfigKind.AUTHORIZATION_POLICY, "istio-system", "gw-policy");
        Proxy gatewayApi = Proxies.gateway("istio-system", Map.of("gateway.networking.k8s.io/gateway-name", "my-gateway"));
        PushScope scope = PushScope.of(PushRequest.config(key), security(), security(targeted));
        assertThat(scope.concerns(gatewayApi)).isTrue();
        assertThat(scope.concerns(GATEWAY)).isFalse();
        assertThat(scope.concerns(PRODUCTPAGE)).as("a targetRef never selects sidecars").isFalse();
    }

    @Test
    void requestAuthenticationsAndNewKeysReachTheWorkloadsThatValidateTokens() {
        String jwt = """
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata: {name: jwt, namespace: default}
                spec:
                  selector: {matchLabels: {app: productpage}}
                  jwtRules: [{issuer: "testing@secure.istio.io", jwksUri: "https://example.com/jwks.json"}, {issuer: "discovered.example.com"}]
                """;
        ConfigKey key = new ConfigKey(ConfigKind.REQUEST_AUTHENTICATION, "default", "jwt");
        PushScope edited = PushScope.of(PushRequest.config(key), security(), security(jwt));
        assertThat(edited.concerns(PRODUCTPAGE)).isTrue();
        assertThat(edited.concerns(DETAILS)).isFalse();

        PushContext context = security(jwt);
        PushScope keys = PushScope.of(PushRequest.jwks("https://example.com/jwks.json"), context, context);
        assertThat(keys.concerns(PRODUCTPAGE)).isTrue();
        assertThat(keys.concerns(DETAILS)).isFalse();
        assertThat(keys.concernsType(TypeUrls.LISTENER)).isTrue();
        assertThat(keys.concernsType(TypeUrls.CLUSTER)).isFalse();
        assertThat(PushScope.of(PushRequest.jwks("issuer:discovered.example.com"), context, context).concerns(PRODUCTPAGE))
                .as("keys found through the issuer's discovery document").isTrue();
        assertThat(PushScope.of(PushRequest.jwks("https://other.example.com/jwks.json"), context, context)
                .concerns(PRODUCTPAGE)).isFalse();
    }

    @Test
    void aPolicyMergedWithARouteChangeKeepsBothRules() {
        PushRequest both = PushRequest.config(DETAILS_VIEWER).merge(ORDERS_EDIT);
        PushScope scope = PushScope.of(both, context(true, ORDERS_ROUTE.formatted("orders")),
                context(true, ORDERS_ROUTE.formatted("orders")));
        assertThat(scope.concerns(ORDERS_CLIENT)).as("the route's rule").isTrue();
        assertThat(scope.concerns(GATEWAY)).as("gateways are not narrowed by hosts").isTrue();
        assertThat(scope.concernsType(TypeUrls.CLUSTER)).as("routes change more than listeners").isTrue();
    }
}
