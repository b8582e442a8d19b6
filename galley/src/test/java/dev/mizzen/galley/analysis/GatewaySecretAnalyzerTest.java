package dev.mizzen.galley.analysis;

import dev.mizzen.galley.manifest.ManifestDocument;
import dev.mizzen.galley.manifest.ManifestReader;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How Secrets read from files are judged as gateway credentials, Istio's rules beyond its own test grid. */
class GatewaySecretAnalyzerTest {
    private static final Instant NOW = Instant.now();
    private static final TestCertificates.Credential VALID = TestCertificates.credential("shop.example.com",
            NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
    private static final String INVALID = "Error [IST0161] (Gateway default/gw) The credential referenced by the"
            + " Gateway gw in namespace istio-system is invalid, which can cause the traffic not to work as expected.";

    @Test
    void stringDataWithGenericKeysIsACredential() {
        assertEquals(List.of(), run(gateway("shop") + stringDataSecret("shop", "cert", VALID.certificatePem(), "key",
                VALID.keyPem()), Clock.systemUTC()));
    }

    @Test
    void anEmptyKeyIsNoCredential() {
        assertEquals(List.of(INVALID), run(gateway("shop") + stringDataSecret("shop", "tls.crt", VALID.certificatePem(),
                "tls.key", ""), Clock.systemUTC()));
    }

    @Test
    void onlyTheFirstPemBlockCountsAndMustBeCertificates() {
        assertEquals(List.of(INVALID), run(gateway("shop") + stringDataSecret("shop", "tls.crt",
                VALID.keyPem() + VALID.certificatePem(), "tls.key", VALID.keyPem()), Clock.systemUTC()));
    }

    @Test
    void certificatesAreJudgedAtTheClocksInstant() {
        String mesh = gateway("shop") + TestCertificates.tlsSecret("istio-system", "shop", VALID);
        assertEquals(List.of(), run(mesh, Clock.fixed(NOW.plus(Duration.ofDays(29)), ZoneOffset.UTC)));
        assertEquals(List.of(INVALID), run(mesh, Clock.fixed(NOW.plus(Duration.ofDays(31)), ZoneOffset.UTC)));
    }

    @Test
    void theSecretIsLookedUpBesideTheGatewayPodNotTheGateway() {
        String inGatewayNamespace = TestCertificates.tlsSecret("default", "shop", VALID);
        assertEquals(List.of("Error [IST0101] (Gateway default/gw) Referenced credentialName not found: \"shop\""),
                run(gateway("shop") + inGatewayNamespace, Clock.systemUTC()));
        assertEquals(List.of(), run(gateway("default/shop") + inGatewayNamespace, Clock.systemUTC()));
    }

    private static List<String> run(String yaml, Clock clock) {
        ManifestInputs inputs = new ManifestInputs("default", ManifestInputs.SchemaStage.NONE);
        inputs.addDefaultIngressGateway("istio-system");
        try {
            for (ManifestDocument doc : ManifestReader.standard().read(yaml)) {
                inputs.add("test.yaml", doc);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return Analyzers.analyze(inputs.input(MeshOptions.DEFAULT), List.of(new GatewaySecretAnalyzer(clock))).stream()
                .map(DiagMessage::toString).toList();
    }

    private static String gateway(String credential) {
        return "---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {namespace: default, name: gw}\n"
                + "spec:\n  selector: {istio: ingressgateway}\n  servers:\n  - port: {number: 443, name: https, protocol:"
                + " HTTPS}\n    hosts: [\"shop.example.com\"]\n    tls: {mode: SIMPLE, credentialName: \"" + credential
                + "\"}\n";
    }

    private static String stringDataSecret(String name, String certKey, String cert, String keyKey, String key) {
        return "---\napiVersion: v1\nkind: Secret\nmetadata: {namespace: istio-system, name: " + name + "}\n"
                + "stringData:\n  " + certKey + ": |\n" + indent(cert) + "  " + keyKey + ": \"" + key.replace("\n", "\\n")
                + "\"\n";
    }

    private static String indent(String pem) {
        return pem.lines().map(l -> "    " + l + "\n").reduce("", String::concat);
    }
}
