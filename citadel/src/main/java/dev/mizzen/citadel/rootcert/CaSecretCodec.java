package dev.mizzen.citadel.rootcert;

import dev.mizzen.citadel.ca.SigningBundle;
import dev.mizzen.citadel.pki.Issuer;
import dev.mizzen.citadel.pki.Pem;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The self-signed root's Secret ({@code istio-ca-secret}) in Istio's layout: {@code ca-cert.pem} and
 * {@code ca-key.pem} hold the signing root and its key; {@code root-cert.pem} the trusted roots (the signing
 * root first, then the previous one while a rotation overlaps; Istio leaves it empty, meaning just
 * ca-cert.pem); {@code cert-chain.pem} and {@code key.pem} stay empty. Pure functions over the base64 data map.
 */
public final class CaSecretCodec {
    public static final String SECRET_NAME = "istio-ca-secret";
    public static final String SECRET_TYPE = "istio.io/ca-root";
    public static final String CA_CERT = "ca-cert.pem";
    public static final String CA_KEY = "ca-key.pem";
    public static final String CERT_CHAIN = "cert-chain.pem";
    public static final String KEY = "key.pem";
    public static final String ROOT_CERT = "root-cert.pem";

    private CaSecretCodec() {
    }

    public static Map<String, String> encode(SigningBundle bundle) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(CA_CERT, base64(Pem.encode(bundle.issuer().certificate())));
        data.put(CA_KEY, base64(Pem.encode(bundle.issuer().key())));
        data.put(CERT_CHAIN, "");
        data.put(KEY, "");
        data.put(ROOT_CERT, base64(Pem.encode(bundle.roots())));
        return data;
    }

    /** @throws IllegalArgumentException when the Secret does not hold a usable self-signed root */
    public static SigningBundle decode(Map<String, String> data) {
        if (data == null || !data.containsKey(CA_CERT) || !data.containsKey(CA_KEY)) {
            throw new IllegalArgumentException("the CA Secret lacks " + CA_CERT + " or " + CA_KEY);
        }
        X509Certificate caCert = Pem.certificate(text(data.get(CA_CERT)));
        Issuer issuer = new Issuer(Pem.privateKey(text(data.get(CA_KEY))), caCert);
        List<X509Certificate> roots = new ArrayList<>();
        roots.add(caCert);
        Pem.certificates(text(data.getOrDefault(ROOT_CERT, ""))).stream()
                .filter(r -> !r.equals(caCert))
                .forEach(roots::add);
        if (!caCert.getSubjectX500Principal().equals(caCert.getIssuerX500Principal())) {
            throw new IllegalArgumentException("the CA Secret's " + CA_CERT + " is not self-signed");
        }
        return new SigningBundle(issuer, List.of(), roots, SigningBundle.Source.SELF_SIGNED);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String text(String base64) {
        return new String(Base64.getMimeDecoder().decode(base64 == null ? "" : base64), StandardCharsets.US_ASCII);
    }
}
