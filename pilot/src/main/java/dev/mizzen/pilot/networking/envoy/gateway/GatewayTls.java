package dev.mizzen.pilot.networking.envoy.gateway;

import com.google.protobuf.BoolValue;
import dev.mizzen.api.networking.ServerTlsSettings;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.SecretAccess;
import dev.mizzen.pilot.networking.envoy.EnvoyNames;
import dev.mizzen.pilot.networking.envoy.TlsContexts;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;

import java.util.List;

/**
 * TLS termination at a gateway server: a credential istiod serves from a Kubernetes Secret
 * ({@code credentialName}, over SDS as {@code kubernetes://<name>}) or files on the gateway; MUTUAL also
 * verifies clients against the credential's CA ({@code kubernetes://<name>-cacert}). ISTIO_MUTUAL is
 * delegated to Istio's inbound mTLS. Pure.
 */
final class GatewayTls {
    private GatewayTls() {
    }

    /** True when the server needs no Secret from istiod, or the gateway may receive the one it names. */
    static boolean credentialsReadableBy(ServerTlsSettings tls, Proxy proxy) {
        return tls.credentialName() == null || "ISTIO_MUTUAL".equals(tls.mode())
                || proxy.identity().secrets().allows(proxy.namespace(), proxy.namespace(), SecretAccess.SecretPart.KEY_PAIR);
    }

    static DownstreamTlsContext of(ServerTlsSettings tls) {
        if ("ISTIO_MUTUAL".equals(tls.mode())) {
            return TlsContexts.istioInbound();
        }
        boolean mutual = "MUTUAL".equals(tls.mode()) || "OPTIONAL_MUTUAL".equals(tls.mode());
        CommonTlsContext.Builder common = CommonTlsContext.newBuilder().addAllAlpnProtocols(List.of("h2", "http/1.1"));
        if (tls.credentialName() != null) {
            String secret = EnvoyNames.KUBERNETES_SECRET_PREFIX + tls.credentialName();
            common.addTlsCertificateSdsSecretConfigs(TlsContexts.istiodSecret(secret));
            if (mutual) {
                common.setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                        .setDefaultValidationContext(CertificateValidationContext.getDefaultInstance())
                        .setValidationContextSdsSecretConfig(TlsContexts.istiodSecret(secret + EnvoyNames.CA_CERT_SUFFIX)));
            }
        } else {
            if (tls.serverCertificate() != null && tls.privateKey() != null) {
                common.addTlsCertificates(TlsCertificate.newBuilder()
                        .setCertificateChain(DataSource.newBuilder().setFilename(tls.serverCertificate()))
                        .setPrivateKey(DataSource.newBuilder().setFilename(tls.privateKey())));
            }
            if (mutual && tls.caCertificates() != null) {
                common.setValidationContext(CertificateValidationContext.newBuilder()
                        .setTrustedCa(DataSource.newBuilder().setFilename(tls.caCertificates())));
            }
        }
        DownstreamTlsContext.Builder out = DownstreamTlsContext.newBuilder().setCommonTlsContext(common);
        if ("MUTUAL".equals(tls.mode())) {
            out.setRequireClientCertificate(BoolValue.of(true));
        }
        return out.build();
    }
}
