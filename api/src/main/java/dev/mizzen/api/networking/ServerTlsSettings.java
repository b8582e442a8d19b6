package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;

/**
 * Istio {@code ServerTLSSettings}: TLS terminated by a gateway or sidecar ingress listener; {@code mode} and
 * protocol versions are enums kept as strings.
 */
public record ServerTlsSettings(
        Boolean httpsRedirect,
        String mode,
        String serverCertificate,
        String privateKey,
        String caCertificates,
        String caCertCredentialName,
        String credentialName,
        List<String> credentialNames,
        List<TlsCertificate> tlsCertificates,
        List<String> subjectAltNames,
        List<String> verifyCertificateSpki,
        List<String> verifyCertificateHash,
        String minProtocolVersion,
        String maxProtocolVersion,
        List<String> cipherSuites,
        List<String> ecdhCurves,
        String caCrl,
        Boolean insecureSkipVerify) {
    public ServerTlsSettings {
        credentialNames = Copies.list(credentialNames);
        tlsCertificates = Copies.list(tlsCertificates);
        subjectAltNames = Copies.list(subjectAltNames);
        verifyCertificateSpki = Copies.list(verifyCertificateSpki);
        verifyCertificateHash = Copies.list(verifyCertificateHash);
        cipherSuites = Copies.list(cipherSuites);
        ecdhCurves = Copies.list(ecdhCurves);
    }
}
