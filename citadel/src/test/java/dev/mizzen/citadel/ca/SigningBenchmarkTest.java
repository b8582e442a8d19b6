package dev.mizzen.citadel.ca;

import dev.mizzen.api.identity.SpiffeId;
import dev.mizzen.citadel.pki.KeyType;
import dev.mizzen.citadel.testing.Csrs;
import dev.mizzen.citadel.testing.TestCas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Certificates signed per second, CSR parsing included, for each CA key type. Off by default (it measures, it
 * does not test); run with {@code mvn -pl citadel test -Dtest=SigningBenchmarkTest -Dbenchmark=true}.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class SigningBenchmarkTest {
    private static final Duration WARMUP = Duration.ofSeconds(3);
    private static final Duration RUN = Duration.ofSeconds(5);
    private static final SpiffeId ID = SpiffeId.of("cluster.local", "bench", "workload");

    @Test
    void signingRate() {
        String ecCsr = Csrs.csr(Csrs.ec());
        String rsaCsr = Csrs.csr(Csrs.rsa(2048));
        for (KeyType caKey : new KeyType[] {KeyType.ECDSA_P256, KeyType.RSA_2048}) {
            CertificateAuthority ca = TestCas.authority(TestCas.selfSigned(caKey), Clock.systemUTC());
            for (String csr : new String[] {ecCsr, rsaCsr}) {
                double rate = rate(ca, csr);
                System.out.printf("CA %-10s CSR %-5s %8.0f certificates/s (1 thread)%n", caKey,
                        csr == ecCsr ? "EC" : "RSA", rate);
                assertThat(rate).isPositive();
            }
        }
    }

    private static double rate(CertificateAuthority ca, String csr) {
        long warm = System.nanoTime() + WARMUP.toNanos();
        while (System.nanoTime() < warm) {
            sign(ca, csr);
        }
        long start = System.nanoTime();
        long deadline = start + RUN.toNanos();
        int n = 0;
        while (System.nanoTime() < deadline) {
            sign(ca, csr);
            n++;
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static void sign(CertificateAuthority ca, String csr) {
        PublicKey key = CsrParser.publicKey(csr);
        ca.signWorkload(key, ID, Duration.ZERO);
    }
}
