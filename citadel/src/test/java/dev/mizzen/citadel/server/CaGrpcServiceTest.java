package dev.mizzen.citadel.server;

import dev.mizzen.api.identity.SpiffeId;
import dev.mizzen.api.security.ca.v1.IstioCertificateRequest;
import dev.mizzen.api.security.ca.v1.IstioCertificateResponse;
import dev.mizzen.api.security.ca.v1.IstioCertificateServiceGrpc;
import dev.mizzen.citadel.Citadel;
import dev.mizzen.citadel.CitadelSettings;
import dev.mizzen.citadel.pki.Pem;
import dev.mizzen.citadel.testing.Csrs;
import dev.mizzen.citadel.testing.FakeApiServer;
import dev.mizzen.citadel.testing.OpenSsl;
import dev.mizzen.citadel.testing.Tls;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Istio's CA API over real gRPC: netty, TLS with istiod's serving certificate, the fake apiserver's TokenReviews. */
class CaGrpcServiceTest {
    private static final String ISTIOD = "istiod.istio-system.svc";
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private static FakeApiServer api;
    private static SimpleMeterRegistry meters;
    private static Citadel citadel;
    private static Server server;
    private static ManagedChannel anonymous;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        api = FakeApiServer.start("istio-system", "bookinfo");
        meters = new SimpleMeterRegistry();
        citadel = api.own(Citadel.start(CitadelSettings.defaults("istio-system"), api.client(), meters));
        var serving = citadel.servingCertificate().current();
        server = Tls.server(serving.key(), serving.chain(), citadel.clientTrustManager(), ClientAuth.OPTIONAL,
                citadel.certificateService());
        anonymous = Tls.channel(server.getPort(), ISTIOD, citadel.roots(), null, null);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        anonymous.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        api.close();
    }

    @Test
    void aServiceAccountTokenGetsACertificateForExactlyThatIdentity() throws Exception {
        String token = api.serviceAccountToken("bookinfo", "reviews");

        IstioCertificateResponse response = withToken(anonymous, token).createCertificate(request(Csrs.csr(Csrs.ec()), 3600));

        X509Certificate leaf = Pem.certificate(response.getCertChain(0));
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(6, "spiffe://cluster.local/ns/bookinfo/sa/reviews"));
        assertThat(Pem.certificates(response.getCertChain(response.getCertChainCount() - 1))).isEqualTo(citadel.roots());
        OpenSsl.Result verdict = OpenSsl.verify(response.getCertChainList(), tmp);
        assertThat(verdict.ok()).as(verdict.output()).isTrue();
    }

    @Test
    void aCsrAskingForAnotherIdentityGetsOnlyTheCallers() throws Exception {
        String token = api.serviceAccountToken("bookinfo", "ratings");
        String greedy = Csrs.csr(Csrs.ec(), "spiffe://cluster.local/ns/istio-system/sa/istiod",
                "spiffe://cluster.local/ns/kube-system/sa/admin");

        IstioCertificateResponse response = withToken(anonymous, token).createCertificate(request(greedy, 0));

        X509Certificate leaf = Pem.certificate(response.getCertChain(0));
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(6, "spiffe://cluster.local/ns/bookinfo/sa/ratings"));
    }

    @Test
    void aCallerWithItsCertificateRenewsItsOwnIdentityWithoutAToken() throws Exception {
        KeyPair keys = Csrs.ec();
        IstioCertificateResponse first = withToken(anonymous, api.serviceAccountToken("bookinfo", "details"))
                .createCertificate(request(Csrs.csr(keys), 0));
        List<X509Certificate> chain = first.getCertChainList().subList(0, first.getCertChainCount() - 1).stream()
                .map(Pem::certificate).toList();
        ManagedChannel mtls = Tls.channel(server.getPort(), ISTIOD, citadel.roots(), keys.getPrivate(), chain);
        try {
            int reviewsBefore = api.tokenReviews();

            IstioCertificateResponse renewed = IstioCertificateServiceGrpc.newBlockingStub(mtls)
                    .createCertificate(request(Csrs.csr(Csrs.ec()), 0));

            assertThat(Pem.certificate(renewed.getCertChain(0)).getSubjectAlternativeNames())
                    .containsExactly(List.of(6, "spiffe://cluster.local/ns/bookinfo/sa/details"));
            assertThat(api.tokenReviews()).isEqualTo(reviewsBefore);
        } finally {
            mtls.shutdownNow();
        }
    }

    @Test
    void aClientCertificateFromAnotherRootDoesNotGetPastTheHandshake() {
        var stranger = dev.mizzen.citadel.testing.TestCas.authority(
                dev.mizzen.citadel.testing.TestCas.selfSigned(dev.mizzen.citadel.pki.KeyType.ECDSA_P256), java.time.Clock.systemUTC());
        KeyPair keys = Csrs.ec();
        var foreign = stranger.signWorkload(keys.getPublic(),
                dev.mizzen.api.identity.SpiffeId.of("cluster.local", "bookinfo", "details"), java.time.Duration.ofHours(1));
        ManagedChannel impostor = Tls.channel(server.getPort(), ISTIOD, citadel.roots(), keys.getPrivate(), foreign.tlsChain());
        try {
            assertStatus(() -> IstioCertificateServiceGrpc.newBlockingStub(impostor).createCertificate(request(Csrs.csr(Csrs.ec()), 0)),
                    Status.Code.UNAVAILABLE, "");
        } finally {
            impostor.shutdownNow();
        }
    }

    @Test
    void badCsrsAreInvalidArgumentAndCounted() {
        var stub = withToken(anonymous, api.serviceAccountToken("bookinfo", "reviews"));
        double before = counter("citadel_server_csr_parsing_err_count");

        assertStatus(() -> stub.createCertificate(request("not a csr", 0)), Status.Code.INVALID_ARGUMENT, "CERTIFICATE REQUEST");
        assertStatus(() -> stub.createCertificate(request(Csrs.signedByAnotherKey(Csrs.ec(), Csrs.ec()), 0)),
                Status.Code.INVALID_ARGUMENT, "not signed by the key");
        assertStatus(() -> stub.createCertificate(request(Csrs.csr(Csrs.rsa(1024)), 0)),
                Status.Code.INVALID_ARGUMENT, "at least 2048");

        assertThat(counter("citadel_server_csr_parsing_err_count")).isEqualTo(before + 3);
        assertThat(stub.createCertificate(request(Csrs.csr(Csrs.ec()), 0)).getCertChainCount()).isEqualTo(2);
    }

    @Test
    void missingOrMalformedTokensAreUnauthenticated() {
        var stub = IstioCertificateServiceGrpc.newBlockingStub(anonymous);
        String csr = Csrs.csr(Csrs.ec());

        assertStatus(() -> stub.createCertificate(request(csr, 0)), Status.Code.UNAUTHENTICATED, "no credentials");
        assertStatus(() -> withToken(anonymous, "not-a-jwt").createCertificate(request(csr, 0)),
                Status.Code.UNAUTHENTICATED, "not a JWT");
        assertStatus(() -> withHeader(anonymous, "Basic dXNlcjpwYXNz").createCertificate(request(csr, 0)),
                Status.Code.UNAUTHENTICATED, "Bearer");
        assertThat(meters.get("citadel_server_authentication_failure_count").tag("reason", "unauthenticated")
                .counter().count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aTokenTheApiserverRefusesIsPermissionDenied() {
        String csr = Csrs.csr(Csrs.ec());

        assertStatus(() -> withToken(anonymous, FakeApiServer.unknownToken()).createCertificate(request(csr, 0)),
                Status.Code.PERMISSION_DENIED, "rejected the token");
        assertThat(meters.get("citadel_server_authentication_failure_count").tag("reason", "permission_denied")
                .counter().count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void successesAreCounted() {
        double before = counter("citadel_server_success_cert_issuance_count");

        withToken(anonymous, api.serviceAccountToken("bookinfo", "productpage")).createCertificate(request(Csrs.csr(Csrs.ec()), 0));

        assertThat(counter("citadel_server_success_cert_issuance_count")).isEqualTo(before + 1);
        assertThat(meters.get("citadel_server_root_cert_expiry_timestamp").gauge().value())
                .isEqualTo(citadel.roots().get(0).getNotAfter().getTime() / 1000.0);
    }

    static IstioCertificateRequest request(String csr, long validitySeconds) {
        return IstioCertificateRequest.newBuilder().setCsr(csr).setValidityDuration(validitySeconds).build();
    }

    static IstioCertificateServiceGrpc.IstioCertificateServiceBlockingStub withToken(ManagedChannel channel, String token) {
        return withHeader(channel, "Bearer " + token);
    }

    static IstioCertificateServiceGrpc.IstioCertificateServiceBlockingStub withHeader(ManagedChannel channel, String value) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, value);
        return IstioCertificateServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    static void assertStatus(Runnable call, Status.Code code, String messagePart) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(code);
                    assertThat(e.getStatus().getDescription()).contains(messagePart);
                });
    }

    private static double counter(String name) {
        return meters.get(name).counter().count();
    }
}
