package dev.mizzen.citadel.authn;

import dev.mizzen.api.identity.AuthenticationException;
import dev.mizzen.api.identity.CallerCredentials;
import dev.mizzen.citadel.ca.CertificateAuthority;
import dev.mizzen.api.identity.SpiffeId;
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
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthenticatorTest {
    private static final SpiffeId REVIEWS = SpiffeId.of("cluster.local", "bookinfo", "reviews");
    private final CertificateAuthority ca = TestCas.authority(TestCas.selfSigned(KeyType.ECDSA_P256), Clock.systemUTC());

    @Test
    void bearerTokensMustLookLikeJwts() {
        assertThat(BearerToken.from(CallerCredentials.none())).isEmpty();
        assertThat(BearerToken.from(new CallerCredentials(Optional.of("bearer a.b.c"), List.of()))).contains("a.b.c");
        assertThatThrownBy(() -> BearerToken.from(CallerCredentials.bearer(""))).hasMessageContaining("empty");
        assertThatThrownBy(() -> BearerToken.from(CallerCredentials.bearer("abc"))).hasMessageContaining("not a JWT");
        assertThatThrownBy(() -> BearerToken.from(new CallerCredentials(Optional.of("Token a.b.c"), List.of())))
                .isInstanceOfSatisfying(AuthenticationException.class,
                        e -> assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAUTHENTICATED));
        assertThat(CallerCredentials.bearer("secret.token.value").toString()).doesNotContain("secret");
    }

    @Test
    void aClientCertificateOfThisCaNamesItsIdentity() {
        var auth = new ClientCertificateAuthenticator(ca::roots, "cluster.local", Clock.systemUTC());
        var cert = ca.signWorkload(Csrs.ec().getPublic(), REVIEWS, Duration.ofHours(1));

        assertThat(auth.authenticate(CallerCredentials.clientCertificate(cert.tlsChain()))).contains(REVIEWS);
        assertThat(auth.authenticate(CallerCredentials.none())).isEmpty();
    }

    @Test
    void aClientCertificateOfAnotherCaOrExpiredIsRefused() {
        var auth = new ClientCertificateAuthenticator(ca::roots, "cluster.local", Clock.systemUTC());
        CertificateAuthority stranger = TestCas.authority(TestCas.selfSigned(KeyType.ECDSA_P256), Clock.systemUTC());
        var foreign = stranger.signWorkload(Csrs.ec().getPublic(), REVIEWS, Duration.ofHours(1));
        var own = ca.signWorkload(Csrs.ec().getPublic(), REVIEWS, Duration.ofHours(1));
        var later = new ClientCertificateAuthenticator(ca::roots, "cluster.local",
                Clock.fixed(Instant.now().plus(Duration.ofHours(2)), ZoneOffset.UTC));

        assertThatThrownBy(() -> auth.authenticate(CallerCredentials.clientCertificate(foreign.tlsChain())))
                .hasMessageContaining("not issued by this CA");
        assertThatThrownBy(() -> later.authenticate(CallerCredentials.clientCertificate(own.tlsChain())))
                .hasMessageContaining("no longer valid");
    }

    @Test
    void aServerCertificateWithoutSpiffeIdIsNotAWorkloadIdentity() {
        var auth = new ClientCertificateAuthenticator(ca::roots, "cluster.local", Clock.systemUTC());
        var istiod = ca.signServer(Csrs.ec().getPublic(), List.of("istiod.istio-system.svc"), Duration.ofHours(1));

        assertThat(auth.authenticate(CallerCredentials.clientCertificate(istiod.tlsChain()))).isEmpty();
    }

    @Test
    void aCertificateWinsAndOtherwiseTheTokenDecides() {
        var certificates = new ClientCertificateAuthenticator(ca::roots, "cluster.local", Clock.systemUTC());
        Authenticator tokens = c -> Optional.of(REVIEWS);
        var auth = new CachingAuthenticator(certificates, tokens, Runnable::run, Clock.systemUTC(),
                CachingAuthenticator.Settings.DEFAULTS);
        SpiffeId ratings = SpiffeId.of("cluster.local", "bookinfo", "ratings");
        var own = ca.signWorkload(Csrs.ec().getPublic(), ratings, Duration.ofHours(1));
        CertificateAuthority stranger = TestCas.authority(TestCas.selfSigned(KeyType.ECDSA_P256), Clock.systemUTC());
        var foreign = stranger.signWorkload(Csrs.ec().getPublic(), ratings, Duration.ofHours(1));

        assertThat(auth.authenticate(CallerCredentials.clientCertificate(own.tlsChain())).join()).isEqualTo(ratings);
        assertThat(auth.authenticate(CallerCredentials.bearer(jwt(Instant.now().plusSeconds(600)))).join()).isEqualTo(REVIEWS);
        assertThat(auth.authenticate(new CallerCredentials(Optional.of("Bearer " + jwt(Instant.now().plusSeconds(600))),
                foreign.tlsChain())).join()).as("a foreign certificate with a good token").isEqualTo(REVIEWS);
        assertThatThrownBy(() -> auth.authenticate(CallerCredentials.clientCertificate(foreign.tlsChain())).join())
                .hasCauseInstanceOf(AuthenticationException.class).hasMessageContaining("not issued by this CA");
        assertThatThrownBy(() -> auth.authenticate(CallerCredentials.none()).join())
                .hasMessageContaining("no credentials");
    }

    @Test
    void aTokenIsReviewedOnceAndARefusalIsRemembered() {
        AtomicInteger reviews = new AtomicInteger();
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        String good = jwt(clock.instant().plusSeconds(600));
        String bad = jwt(clock.instant().plusSeconds(600)) + "x";
        Authenticator tokens = c -> {
            reviews.incrementAndGet();
            if (c.authorization().orElseThrow().endsWith("x")) {
                throw new AuthenticationException(AuthenticationException.Kind.PERMISSION_DENIED, "refused");
            }
            return Optional.of(REVIEWS);
        };
        var auth = new CachingAuthenticator(c -> Optional.empty(), tokens, Runnable::run, clock,
                new CachingAuthenticator.Settings(Duration.ofHours(1), Duration.ofSeconds(30), 100));

        for (int i = 0; i < 5; i++) {
            assertThat(auth.authenticate(CallerCredentials.bearer(good)).join()).isEqualTo(REVIEWS);
            assertThatThrownBy(() -> auth.authenticate(CallerCredentials.bearer(bad)).join()).hasMessageContaining("refused");
        }
        assertThat(reviews).as("one review per token").hasValue(2);
    }

    /** An unsigned JWT-shaped token with an expiry: the authenticator only reads exp to bound its memory. */
    private static String jwt(Instant exp) {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes()) + "."
                + b64.encodeToString(("{\"exp\":" + exp.getEpochSecond() + "}").getBytes()) + ".sig";
    }
}
