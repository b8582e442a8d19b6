package dev.mizzen.citadel.authn;

import dev.mizzen.citadel.ca.CertificateAuthority;
import dev.mizzen.citadel.identity.SpiffeId;
import dev.mizzen.citadel.pki.KeyType;
import dev.mizzen.citadel.testing.Csrs;
import dev.mizzen.citadel.testing.TestCas;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthenticatorTest {
    private static final SpiffeId REVIEWS = SpiffeId.of("cluster.local", "bookinfo", "reviews");
    private final CertificateAuthority ca = TestCas.authority(TestCas.selfSigned(KeyType.ECDSA_P256), Clock.systemUTC());

    @Test
    void bearerTokensMustLookLikeJwts() {
        assertThat(BearerToken.from(Credentials.none())).isEmpty();
        assertThat(BearerToken.from(new Credentials(Optional.of("bearer a.b.c"), List.of()))).contains("a.b.c");
        assertThatThrownBy(() -> BearerToken.from(Credentials.bearer(""))).hasMessageContaining("empty");
        assertThatThrownBy(() -> BearerToken.from(Credentials.bearer("abc"))).hasMessageContaining("not a JWT");
        assertThatThrownBy(() -> BearerToken.from(new Credentials(Optional.of("Token a.b.c"), List.of())))
                .isInstanceOfSatisfying(AuthenticationException.class,
                        e -> assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAUTHENTICATED));
        assertThat(Credentials.bearer("secret.token.value").toString()).doesNotContain("secret");
    }

    @Test
    void aClientCertificateOfThisCaNamesItsIdentity() {
        var auth = new ClientCertificateAuthenticator(ca::roots, "cluster.local", Clock.systemUTC());
        var cert = ca.signWorkload(Csrs.ec().getPublic(), REVIEWS, Duration.ofHours(1));

        assertThat(auth.authenticate(Credentials.clientCertificate(cert.tlsChain()))).contains(REVIEWS);
        assertThat(auth.authenticate(Credentials.none())).isEmpty();
    }

    @Test
    void aClientCertificateOfAnotherCaOrExpiredIsRefused() {
        var auth = new ClientCertificateAuthenticator(ca::roots, "cluster.local", Clock.systemUTC());
        CertificateAuthority stranger = TestCas.authority(TestCas.selfSigned(KeyType.ECDSA_P256), Clock.systemUTC());
        var foreign = stranger.signWorkload(Csrs.ec().getPublic(), REVIEWS, Duration.ofHours(1));
        var own = ca.signWorkload(Csrs.ec().getPublic(), REVIEWS, Duration.ofHours(1));
        var later = new ClientCertificateAuthenticator(ca::roots, "cluster.local",
                Clock.fixed(Instant.now().plus(Duration.ofHours(2)), ZoneOffset.UTC));

        assertThatThrownBy(() -> auth.authenticate(Credentials.clientCertificate(foreign.tlsChain())))
                .hasMessageContaining("not issued by this CA");
        assertThatThrownBy(() -> later.authenticate(Credentials.clientCertificate(own.tlsChain())))
                .hasMessageContaining("no longer valid");
    }

    @Test
    void aServerCertificateWithoutSpiffeIdIsNotAWorkloadIdentity() {
        var auth = new ClientCertificateAuthenticator(ca::roots, "cluster.local", Clock.systemUTC());
        var istiod = ca.signServer(Csrs.ec().getPublic(), List.of("istiod.istio-system.svc"), Duration.ofHours(1));

        assertThat(auth.authenticate(Credentials.clientCertificate(istiod.tlsChain()))).isEmpty();
    }

    @Test
    void theFirstIdentityWinsAndTheLastFailureIsReported() {
        Authenticator none = c -> Optional.empty();
        Authenticator refuses = c -> {
            throw new AuthenticationException(AuthenticationException.Kind.PERMISSION_DENIED, "no");
        };
        Authenticator reviews = c -> Optional.of(REVIEWS);

        assertThat(new FirstMatchAuthenticator(List.of(none, refuses, reviews)).authenticate(Credentials.none())).contains(REVIEWS);
        assertThatThrownBy(() -> new FirstMatchAuthenticator(List.of(none, refuses)).authenticate(Credentials.none()))
                .hasMessage("no");
        assertThatThrownBy(() -> new FirstMatchAuthenticator(List.of(none)).authenticate(Credentials.none()))
                .hasMessageContaining("no credentials");
    }
}
