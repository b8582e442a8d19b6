package dev.mizzen.pilot.testing.simulation;

import dev.mizzen.pilot.networking.pgv.PgvValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.mizzen.pilot.testing.simulation.GatewayFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Requests into the ingress gateway ({@link GatewayFixture}): Bookinfo's paths, TLS, redirects. */
class GatewaySimulationTest {
    private final Simulation gateway = Simulation.of(GatewayFixture.resources());

    private static Request http(String path) {
        return Request.http(GATEWAY_IP, 8080).withMode(CallMode.GATEWAY).withAuthority("bookinfo.example.com")
                .withPath(path);
    }

    @Test
    void fixtureIsValidEnvoyConfig() {
        PgvValidator.forEnvoy().validateAll(GatewayFixture.resources()).assertValid();
    }

    @Test
    void productpageReachesProductpage() {
        Result r = gateway.call(http("/productpage"));
        assertEquals("listener 0.0.0.0_8080 > route http.8080 > vhost *:80 > route productpage-exact > cluster "
                + PRODUCTPAGE + " (timeout 0s, retries 2 on " + EnvoyConfigs.ISTIO_RETRY_ON + ")", r.toString());
        assertEquals("[10.1.0.10:9080]", r.clusterInfo().endpoints().toString());
    }

    @ParameterizedTest
    @CsvSource({"/static/css/style.css, static", "/login, login", "/logout, logout",
            "/api/v1/products/0/reviews, api", "/productpage?u=normal, productpage-exact"})
    void bookinfoPaths(String path, String route) {
        Result r = gateway.call(http(path));
        assertEquals(route, r.route(), r::toString);
        assertEquals(PRODUCTPAGE, r.cluster());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/productpage/extra", "/", "/loginx", "/api/v2/products"})
    void otherPathsAre404(String path) {
        Result r = gateway.call(http(path));
        assertEquals(Failure.Kind.NO_ROUTE, r.failureKind(), r::toString);
        assertEquals("404 NR", r.failure().kind().clientSees());
    }

    @ParameterizedTest
    @ValueSource(strings = {"secure.example.com", "secure.example.com:8080"})
    void httpsRedirectHost(String host) {
        Result r = gateway.call(http("/productpage").withAuthority(host));
        assertEquals("secure.example.com:80", r.virtualHost(), r::toString);
        assertEquals(new RouteTarget.Redirect(301, "https://secure.example.com/productpage"), r.target());
        assertEquals(0, r.upstreams().size());
    }

    @Test
    void simpleTlsTerminatesForItsServerName() {
        Result r = gateway.call(Request.http(GATEWAY_IP, 8443).withMode(CallMode.GATEWAY).withTls(TlsMode.TLS)
                .withSni("bookinfo.example.com").withAuthority("bookinfo.example.com").withPath("/productpage"));
        assertEquals("listener 0.0.0.0_8443 > chain bookinfo.example.com > route https.443.https.bookinfo-gateway"
                + ".default > vhost bookinfo.example.com:443 > route productpage > cluster " + PRODUCTPAGE
                + " (timeout 0s, retries 2 on " + EnvoyConfigs.ISTIO_RETRY_ON + ")", r.toString());
    }

    @Test
    void passthroughBySniWildcard() {
        Result r = gateway.call(Request.tls(GATEWAY_IP, 8443, "app.passthrough.example.com")
                .withMode(CallMode.GATEWAY));
        assertEquals("listener 0.0.0.0_8443 > chain passthrough > cluster " + SECURE, r.toString());
    }

    @Test
    void unknownServerNameOrPlaintextFindNoChain() {
        assertEquals(Failure.Kind.NO_FILTER_CHAIN, gateway.call(Request.tls(GATEWAY_IP, 8443, "other.example.com")
                .withMode(CallMode.GATEWAY)).failureKind());
        Result plaintext = gateway.call(Request.http(GATEWAY_IP, 8443).withMode(CallMode.GATEWAY));
        assertEquals(Failure.Kind.NO_FILTER_CHAIN, plaintext.failureKind(), plaintext::toString);
    }

    @Test
    void noListenerOnOtherPorts() {
        Result r = gateway.call(Request.http(GATEWAY_IP, 9999).withMode(CallMode.GATEWAY));
        assertEquals("no listener > NO_LISTENER (connection refused): no listener bound to 10.1.0.7:9999",
                r.toString());
    }
}
