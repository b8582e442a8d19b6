package dev.mizzen.citadel.rootcert;

import dev.mizzen.citadel.ca.SigningBundle;
import dev.mizzen.citadel.pki.Issuer;
import dev.mizzen.citadel.pki.Pem;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An operator's CA plugged in as Istio takes it, from the Secret {@code cacerts} or a directory of the same
 * files: {@code ca-cert.pem} (the certificate citadel signs with, usually an intermediate), {@code ca-key.pem},
 * {@code root-cert.pem} (the roots) and optionally {@code cert-chain.pem} (ca-cert up to the root). Checked
 * whole at start: the key matches, ca-cert is a CA, and the chain verifies to one of the roots.
 */
public final class PluggedCa {
    public static final String SECRET_NAME = "cacerts";
    public static final String CA_CERT = "ca-cert.pem";
    public static final String CA_KEY = "ca-key.pem";
    public static final String ROOT_CERT = "root-cert.pem";
    public static final String CERT_CHAIN = "cert-chain.pem";

    private PluggedCa() {
    }

    /** The plugged CA in {@code dir}, or empty when the directory has no {@code ca-key.pem}. */
    public static Optional<SigningBundle> fromDirectory(Path dir) {
        if (!Files.isRegularFile(dir.resolve(CA_KEY))) {
            return Optional.empty();
        }
        Map<String, String> files = new HashMap<>();
        for (String name : List.of(CA_CERT, CA_KEY, ROOT_CERT, CERT_CHAIN)) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                try {
                    files.put(name, Files.readString(file, StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the plugged CA file " + name, e);
                }
            }
        }
        return Optional.of(bundle(files));
    }

    /** The plugged CA in the Secret {@code cacerts} of istiod's namespace, or empty when there is none. */
    public static Optional<SigningBundle> fromSecret(KubernetesClient client, String namespace) {
        Secret secret = client.secrets().inNamespace(namespace).withName(SECRET_NAME).get();
        if (secret == null) {
            return Optional.empty();
        }
        Map<String, String> files = new HashMap<>();
        if (secret.getStringData() != null) {
            files.putAll(secret.getStringData());
        }
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> files.put(k,
                    new String(Base64.getMimeDecoder().decode(v), StandardCharsets.US_ASCII)));
        }
        return Optional.of(bundle(files));
    }

    /** @throws IllegalArgumentException naming what is missing or inconsistent (never the key's content) */
    public static SigningBundle bundle(Map<String, String> files) {
        for (String required : List.of(CA_CERT, CA_KEY, ROOT_CERT)) {
            if (files.getOrDefault(required, "").isBlank()) {
                throw new IllegalArgumentException("the plugged CA lacks " + required);
            }
        }
        X509Certificate caCert = Pem.certificate(files.get(CA_CERT));
        if (caCert.getBasicConstraints() < 0) {
            throw new IllegalArgumentException(CA_CERT + " is not a CA certificate (basicConstraints CA:TRUE is missing)");
        }
        Issuer issuer = new Issuer(Pem.privateKey(files.get(CA_KEY)), caCert);
        List<X509Certificate> roots = Pem.certificates(files.get(ROOT_CERT));
        List<X509Certificate> intermediates = new ArrayList<>(Pem.certificates(files.getOrDefault(CERT_CHAIN, "")));
        intermediates.removeIf(c -> c.equals(caCert) || roots.contains(c));
        X509Certificate anchor = roots.contains(caCert) ? caCert : verify(caCert, intermediates, roots);
        List<X509Certificate> ordered = new ArrayList<>();
        ordered.add(anchor);
        roots.stream().filter(r -> !r.equals(anchor)).forEach(ordered::add);
        return new SigningBundle(issuer, intermediates, ordered, SigningBundle.Source.PLUGGED);
    }

    /** Returns the root the chain ends at. */
    private static X509Certificate verify(X509Certificate caCert, List<X509Certificate> intermediates,
                                          List<X509Certificate> roots) {
        try {
            List<X509Certificate> path = new ArrayList<>();
            path.add(caCert);
            path.addAll(intermediates);
            PKIXParameters params = new PKIXParameters(
                    roots.stream().map(r -> new TrustAnchor(r, null)).collect(Collectors.toSet()));
            params.setRevocationEnabled(false);
            var result = (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            return result.getTrustAnchor().getTrustedCert();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the plugged CA's " + CA_CERT + " does not chain to its " + ROOT_CERT
                    + " (through " + CERT_CHAIN + "): " + e.getMessage(), e);
        }
    }
}
