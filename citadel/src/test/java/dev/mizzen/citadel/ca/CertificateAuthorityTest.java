package dev.mizzen.citadel.ca;

import dev.mizzen.api.identity.SpiffeId;
import dev.mizzen.citadel.pki.KeyType;
import dev.mizzen.citadel.pki.Pem;
import dev.mizzen.citadel.rootcert.PluggedCa;
import dev.mizzen.citadel.testing.Csrs;
import dev.mizzen.citadel.testing.OpenSsl;
import dev.mizzen.citadel.testing.TestCas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateAuthorityTest {
    private static final SpiffeId BOOKINFO = SpiffeId.of("cluster.local", "bookinfo", "reviews");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"RSA_2048", "ECDSA_P256"})
    void workloadCertificateNamesExactlyTheIdentityAndOpensslAcceptsTheChain(KeyType rootKey) throws Exception {
        CertificateAuthority ca = TestCas.authority(TestCas.selfSigned(rootKey), Clock.systemUTC());

        IssuedCertificate issued = ca.signWorkload(Csrs.ec().getPublic(), BOOKINFO, Duration.ZERO);

        X509Certificate leaf = issued.leaf();
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(6, BOOKINFO.uri()));
        assertThat(leaf.getCriticalExtensionOIDs()).contains("2.5.29.17"); // SAN critical: the subject is empty
        assertThat(leaf.getSubjectX500Principal().getName()).isEmpty();
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        List<String> chain = issued.pemChain();
        assertThat(chain).hasSize(2);
        assertThat(Pem.certificates(chain.get(1))).containsExactly(ca.bundle().signingRoot());
        OpenSsl.Result verdict = OpenSsl.verify(chain, tmp);
        assertThat(verdict.ok()).as(verdict.output()).isTrue();
    }

    @Test
    void defaultValidityIs24HoursAndLongerRequestsAreCutTo90Days() {
        CertificateAuthority ca = TestCas.authority(TestCas.selfSigned(KeyType.ECDSA_P256), Clock.systemUTC());

        Duration byDefault = lifetime(ca.signWorkload(Csrs.ec().getPublic(), BOOKINFO, Duration.ZERO).leaf());
        Duration oneHour = lifetime(ca.signWorkload(Csrs.ec().getPublic(), BOOKINFO, Duration.ofHours(1)).leaf());
        Duration year = lifetime(ca.signWorkload(Csrs.ec().getPublic(), BOOKINFO, Duration.ofDays(365)).leaf());

        // lifetimes count from the backdated start (clock skew grace) and X.509 keeps whole seconds
        assertThat(byDefault).isBetween(Duration.ofHours(24), Duration.ofHours(24).plus(ValidityPolicy.CLOCK_SKEW).plusSeconds(1));
        assertThat(oneHour).isBetween(Duration.ofHours(1), Duration.ofHours(1).plus(ValidityPolicy.CLOCK_SKEW).plusSeconds(1));
        assertThat(year).isBetween(Duration.ofDays(90), Duration.ofDays(90).plus(ValidityPolicy.CLOCK_SKEW).plusSeconds(1));
    }

    @Test
    void neverOutlivesTheSigningCertificate() {
        var h = TestCas.hierarchy(Duration.ofDays(3650), Duration.ofHours(2));
        SigningBundle plugged = PluggedCa.bundle(Map.of(
                PluggedCa.CA_CERT, Pem.encode(h.intermediate()),
                PluggedCa.CA_KEY, Pem.encode(h.intermediateKeys().getPrivate()),
                PluggedCa.ROOT_CERT, Pem.encode(h.root())));
        CertificateAuthority ca = TestCas.authority(plugged, Clock.systemUTC());

        X509Certificate leaf = ca.signWorkload(Csrs.ec().getPublic(), BOOKINFO, Duration.ofHours(24)).leaf();

        assertThat(leaf.getNotAfter()).isEqualTo(h.intermediate().getNotAfter());
    }

    @Test
    void anExpiredSigningCertificateSignsNothing() {
        SigningBundle root = TestCas.selfSigned(KeyType.ECDSA_P256);
        Instant afterExpiry = root.signingRoot().getNotAfter().toInstant().plusSeconds(1);
        CertificateAuthority ca = TestCas.authority(root, Clock.fixed(afterExpiry, java.time.ZoneOffset.UTC));

        assertThatThrownBy(() -> ca.signWorkload(Csrs.ec().getPublic(), BOOKINFO, Duration.ZERO))
                .isInstanceOf(SigningException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void serverCertificateCarriesTheDnsNames() throws Exception {
        CertificateAuthority ca = TestCas.authority(TestCas.selfSigned(KeyType.RSA_2048), Clock.systemUTC());

        IssuedCertificate issued = ca.signServer(Csrs.ec().getPublic(),
                List.of("istiod.istio-system.svc", "istiod"), Duration.ofHours(1));

        assertThat(issued.leaf().getSubjectAlternativeNames())
                .containsExactly(List.of(2, "istiod.istio-system.svc"), List.of(2, "istiod"));
        assertThat(OpenSsl.verify(issued.pemChain(), tmp).ok()).isTrue();
    }

    private static Duration lifetime(X509Certificate c) {
        return Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
    }
}
