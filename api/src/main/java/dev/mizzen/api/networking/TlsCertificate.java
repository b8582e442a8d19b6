package dev.mizzen.api.networking;

/** Istio {@code ServerTLSSettings.TLSCertificate}: one certificate/key pair (file paths). */
public record TlsCertificate(String serverCertificate, String privateKey, String caCertificates) {
}
