package dev.mizzen.pilot.networking.envoy;

import dev.mizzen.api.networking.ClientTlsSettings;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

import java.util.List;

/**
 * TLS settings of Envoy clusters and listeners: Istio mTLS with the agent's certificates over SDS, TLS from
 * files, or credentials istiod serves from Kubernetes Secrets. Pure.
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    /** Istio mTLS to a mesh service: the workload certificate, the mesh root, the server's SPIFFE identities. */
    public static UpstreamTlsContext istioMutual(String sni, List<String> subjectAltNames) {
        return UpstreamTlsContext.newBuilder()
                .setCommonTlsContext(CommonTlsContext.newBuilder()
                        .addAllAlpnProtocols(EnvoyNames.ISTIO_ALPN)
                        .addTlsCertificateSdsSecretConfigs(agentSecret(EnvoyNames.SDS_DEFAULT))
                        .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                                .setDefaultValidationContext(sans(subjectAltNames))
                                .setValidationContextSdsSecretConfig(agentSecret(EnvoyNames.SDS_ROOT))))
                .setSni(sni)
                .build();
    }

    /** A DestinationRule's SIMPLE or MUTUAL TLS: files on the proxy, or a credential served by istiod. */
    public static UpstreamTlsContext fromSettings(ClientTlsSettings tls, String defaultSni) {
        CommonTlsContext.Builder common = CommonTlsContext.newBuilder();
        CertificateValidationContext.Builder validation = sans(tls.subjectAltNames()).toBuilder();
        if (tls.credentialName() != null) {
            String name = EnvoyNames.KUBERNETES_SECRET_PREFIX + tls.credentialName();
            if ("MUTUAL".equals(tls.mode())) {
                common.addTlsCertificateSdsSecretConfigs(istiodSecret(name));
            }
            if (!Boolean.TRUE.equals(tls.insecureSkipVerify())) {
                common.setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                        .setDefaultValidationContext(validation)
                        .setValidationContextSdsSecretConfig(istiodSecret(name + EnvoyNames.CA_CERT_SUFFIX)));
            }
        } else {
            if ("MUTUAL".equals(tls.mode()) && tls.clientCertificate() != null && tls.privateKey() != null) {
                common.addTlsCertificates(TlsCertificate.newBuilder()
                        .setCertificateChain(file(tls.clientCertificate()))
                        .setPrivateKey(file(tls.privateKey())));
            }
            if (tls.caCertificates() != null && !Boolean.TRUE.equals(tls.insecureSkipVerify())) {
                validation.setTrustedCa(file(tls.caCertificates()));
            }
            common.setValidationContext(validation);
        }
        return UpstreamTlsContext.newBuilder()
                .setCommonTlsContext(common)
                .setSni(tls.sni() != null ? tls.sni() : defaultSni)
                .build();
    }

    /** What a sidecar presents to mesh clients: its workload certificate, requiring theirs. */
    public static DownstreamTlsContext istioInbound() {
        return DownstreamTlsContext.newBuilder()
                .setCommonTlsContext(CommonTlsContext.newBuilder()
                        .addAllAlpnProtocols(List.of("h2", "http/1.1"))
                        .addTlsCertificateSdsSecretConfigs(agentSecret(EnvoyNames.SDS_DEFAULT))
                        .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                                .setDefaultValidationContext(CertificateValidationContext.getDefaultInstance())
                                .setValidationContextSdsSecretConfig(agentSecret(EnvoyNames.SDS_ROOT))))
                .setRequireClientCertificate(com.google.protobuf.BoolValue.of(true))
                .build();
    }

    public static TransportSocket tls(UpstreamTlsContext context) {
        return TransportSocket.newBuilder().setName(EnvoyNames.TLS_TRANSPORT_SOCKET)
                .setTypedConfig(XdsResource.pack(context)).build();
    }

    public static TransportSocket tls(DownstreamTlsContext context) {
        return TransportSocket.newBuilder().setName(EnvoyNames.TLS_TRANSPORT_SOCKET)
                .setTypedConfig(XdsResource.pack(context)).build();
    }

    public static TransportSocket plaintext() {
        return TransportSocket.newBuilder().setName(EnvoyNames.RAW_BUFFER)
                .setTypedConfig(XdsResource.pack(RawBuffer.getDefaultInstance())).build();
    }

    /** A secret from the agent's SDS server. */
    static SdsSecretConfig agentSecret(String name) {
        return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(ConfigSources.agentSds()).build();
    }

    /** A secret istiod serves over ADS (credentials from Kubernetes Secrets). */
    public static SdsSecretConfig istiodSecret(String name) {
        return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(ConfigSources.ads()).build();
    }

    private static CertificateValidationContext sans(List<String> subjectAltNames) {
        CertificateValidationContext.Builder out = CertificateValidationContext.newBuilder();
        for (String san : subjectAltNames) {
            out.addMatchTypedSubjectAltNames(SubjectAltNameMatcher.newBuilder()
                    .setSanType(san.startsWith("spiffe://") ? SubjectAltNameMatcher.SanType.URI : SubjectAltNameMatcher.SanType.DNS)
                    .setMatcher(StringMatcher.newBuilder().setExact(san)));
        }
        return out.build();
    }

    private static DataSource file(String path) {
        return DataSource.newBuilder().setFilename(path).build();
    }
}
