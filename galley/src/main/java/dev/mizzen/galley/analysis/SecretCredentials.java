package dev.mizzen.galley.analysis;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * Reads a Secret's data as Istio's gateway credential check does: the certificate of the first non-empty pair of
 * {@code cert}/{@code key} or {@code tls.crt}/{@code tls.key} (Istio's {@code ExtractCertInfo}), then the
 * certificates of that certificate's first PEM block (Istio's {@code ValidateCertificate}). Pure; the key is only
 * checked to be there.
 */
public final class SecretCredentials {
    /** Bound on a certificate read: the API server keeps a whole Secret under 1 MiB. */
    static final int MAX_CERTIFICATE_BYTES = 1 << 20;
    private static final Pattern MARKER = Pattern.compile("-----(BEGIN|END) ([^\\r\\n-]*)-----");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private SecretCredentials() {
    }

    /** The Secret reduced to what analysis keeps; {@code data} holds the decoded values. */
    public static KubeSecret secret(String namespace, String name, Map<String, byte[]> data) {
        return new KubeSecret(namespace, name, validity(data));
    }

    /** The validity of the Secret's certificate; null when it has no cert/key pair or the certificate is unparsable. */
    static KubeSecret.Validity validity(Map<String, byte[]> data) {
        byte[] cert = pairCertificate(data, "cert", "key");
        if (cert == null) {
            cert = pairCertificate(data, "tls.crt", "tls.key");
        }
        if (cert == null || cert.length > MAX_CERTIFICATE_BYTES) {
            return null;
        }
        return firstBlockValidity(cert);
    }

    private static byte[] pairCertificate(Map<String, byte[]> data, String certKey, String keyKey) {
        byte[] cert = data.get(certKey);
        byte[] key = data.get(keyKey);
        return cert != null && cert.length > 0 && key != null && key.length > 0 ? cert : null;
    }

    /**
     * Go's {@code pem.Decode}: the first block whose BEGIN line is followed by the first END line after it, of the
     * same type, with a base64 body, whatever the type; its bytes must be certificates. A body holding another
     * marker is not base64 ({@code -} is not in its alphabet), so only a BEGIN whose next marker is its END can
     * be a block: bodies never overlap, and a hostile Secret (many BEGINs, one END) costs linear time.
     */
    private static KubeSecret.Validity firstBlockValidity(byte[] pem) {
        String text = new String(pem, StandardCharsets.ISO_8859_1);
        List<MatchResult> markers = MARKER.matcher(text).results().toList();
        for (int i = 0; i + 1 < markers.size(); i++) {
            MatchResult begin = markers.get(i);
            MatchResult end = markers.get(i + 1);
            if (!begin.group(1).equals("BEGIN") || !end.group(1).equals("END") || !begin.group(2).equals(end.group(2))) {
                continue;
            }
            byte[] der;
            try {
                der = Base64.getDecoder().decode(WHITESPACE.matcher(text.substring(begin.end(), end.start()))
                        .replaceAll(""));
            } catch (IllegalArgumentException e) {
                continue; // not a block to Go either: it looks further on
            }
            return certificatesValidity(der);
        }
        return null;
    }

    private static KubeSecret.Validity certificatesValidity(byte[] der) {
        try {
            Collection<? extends java.security.cert.Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(der));
            if (certs.isEmpty()) {
                return null;
            }
            Instant notBefore = Instant.MIN;
            Instant notAfter = Instant.MAX;
            for (java.security.cert.Certificate c : certs) {
                X509Certificate x = (X509Certificate) c;
                Instant from = x.getNotBefore().toInstant();
                Instant to = x.getNotAfter().toInstant();
                notBefore = from.isAfter(notBefore) ? from : notBefore;
                notAfter = to.isBefore(notAfter) ? to : notAfter;
            }
            return new KubeSecret.Validity(notBefore, notAfter);
        } catch (CertificateException | RuntimeException e) {
            return null;
        }
    }
}
