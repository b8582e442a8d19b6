package dev.mizzen.pilot.networking.grpcgen;

import com.google.protobuf.BoolValue;
import dev.mizzen.pilot.networking.envoy.EnvoyNames;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateProviderPluginInstance;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

import java.util.List;

/**
 * Istio mTLS for proxyless gRPC, as Istio's gRPC generator writes it ({@code buildCommonTLSContext} in
 * {@code grpcgen.go}): the workload certificate and the mesh root come from the bootstrap's {@code default}
 * certificate provider (the file watcher over the files Istio's agent writes), never from SDS, which grpc-java does
 * not speak. grpc-java refuses what it does not support here: {@code tls_params}, SDS secret configs, subject alt
 * name matchers on the server side. Pure.
 */
final class GrpcTls {
    static final String CERTIFICATE_PROVIDER = "default";

    private GrpcTls() {
    }

    /** A server's side: its certificate, clients' certificates required and verified against the mesh root. */
    static TransportSocket server() {
        return socket(XdsResource.pack(DownstreamTlsContext.newBuilder()
                .setCommonTlsContext(common(List.of()))
                .setRequireClientCertificate(BoolValue.of(true))
                .build()));
    }

    /** A client's side (DestinationRule ISTIO_MUTUAL): its certificate, the server's verified as one of these identities. */
    static TransportSocket client(List<String> serverIdentities) {
        return socket(XdsResource.pack(UpstreamTlsContext.newBuilder().setCommonTlsContext(common(serverIdentities)).build()));
    }

    private static CommonTlsContext common(List<String> subjectAltNames) {
        CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder()
                .setCaCertificateProviderInstance(CertificateProviderPluginInstance.newBuilder()
                        .setInstanceName(CERTIFICATE_PROVIDER).setCertificateName(EnvoyNames.SDS_ROOT));
        subjectAltNames.forEach(san -> validation.addMatchSubjectAltNames(StringMatcher.newBuilder().setExact(san)));
        return CommonTlsContext.newBuilder()
                .setTlsCertificateProviderInstance(CertificateProviderPluginInstance.newBuilder()
                        .setInstanceName(CERTIFICATE_PROVIDER).setCertificateName(EnvoyNames.SDS_DEFAULT))
                .setValidationContext(validation)
                .build();
    }

    private static TransportSocket socket(com.google.protobuf.Any context) {
        return TransportSocket.newBuilder().setName(EnvoyNames.TLS_TRANSPORT_SOCKET).setTypedConfig(context).build();
    }
}
