package dev.mizzen.galley.analysis;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Reading a Secret's certificate as Go's {@code pem.Decode} and {@code x509.ParseCertificates} do. */
class SecretCredentialsTest {
    private static final Instant FROM = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final TestCertificates.Credential CREDENTIAL = TestCertificates.credential("shop.example.com",
            FROM, FROM.plus(Duration.ofDays(7)));

    @Test
    void theValidityWindowIsTheCertificates() {
        assertEquals(new KubeSecret.Validity(FROM, FROM.plus(Duration.ofDays(7))),
                SecretCredentials.validity(data(CREDENTIAL.certificatePem())));
    }

    @Test
    void beginLinesWithoutTheirEndAreSkippedAsGoDoes() {
        String unterminated = "-----BEGIN CERTIFICATE-----\nnot base64 and no end\n".repeat(20_000);
        assertEquals(new KubeSecret.Validity(FROM, FROM.plus(Duration.ofDays(7))),
                SecretCredentials.validity(data(unterminated.replace("CERTIFICATE", "X") + CREDENTIAL.certificatePem())));
    }

    @Test
    void manyBeginLinesBeforeOneEndAreNoBlock() {
        String begins = "-----BEGIN CERTIFICATE-----\n".repeat(20_000);
        assertNull(SecretCredentials.validity(data(begins + "-----END CERTIFICATE-----\n")));
        assertEquals(new KubeSecret.Validity(FROM, FROM.plus(Duration.ofDays(7))),
                SecretCredentials.validity(data(begins + CREDENTIAL.certificatePem())));
    }

    @Test
    void aCertificateOverTheApiServersSecretLimitIsNoCredential() {
        String padded = " ".repeat(SecretCredentials.MAX_CERTIFICATE_BYTES) + CREDENTIAL.certificatePem();
        assertNull(SecretCredentials.validity(data(padded)));
    }

    private static Map<String, byte[]> data(String certificate) {
        return Map.of("tls.crt", certificate.getBytes(StandardCharsets.UTF_8),
                "tls.key", CREDENTIAL.keyPem().getBytes(StandardCharsets.UTF_8));
    }
}
