package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;

/** Istio {@code ClientTLSSettings}: TLS towards the destination; {@code mode} is an enum kept as a string. */
public record ClientTlsSettings(
        String mode,
        String clientCertificate,
        String privateKey,
        String caCertificates,
        String credentialName,
        List<String> subjectAltNames,
        String sni,
        Boolean insecureSkipVerify,
        String caCrl) {
    public ClientTlsSettings {
        subjectAltNames = Copies.list(subjectAltNames);
    }
}
