package dev.mizzen.it;

import dev.mizzen.api.security.ca.v1.IstioCertificateRequest;
import dev.mizzen.api.security.ca.v1.IstioCertificateServiceGrpc;
import dev.mizzen.citadel.pki.KeyType;
import dev.mizzen.citadel.pki.Pem;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Istio's CA API as the agent calls it: a CSR, and a service-account token as the bearer credential. */
final class CaClient {
    /** What a call got: the chain, or the status it was refused with. */
    record Answer(List<X509Certificate> chain, Status.Code refused) {}

    private CaClient() {}

    static Answer createCertificate(ManagedChannel channel, String bearerToken) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + bearerToken);
        try {
            var response = IstioCertificateServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .createCertificate(IstioCertificateRequest.newBuilder().setCsr(csr()).setValidityDuration(3600)
                            .build());
            return new Answer(Pem.certificates(String.join("", response.getCertChainList())), null);
        } catch (StatusRuntimeException e) {
            return new Answer(List.of(), e.getStatus().getCode());
        }
    }

    /** A CSR as the agent sends it: an empty subject, a fresh key; the CA decides the identity from the token. */
    private static String csr() {
        KeyPair keys = KeyType.ECDSA_P256.generate();
        try {
            var builder = new JcaPKCS10CertificationRequestBuilder(new X500Name("O=cluster.local"), keys.getPublic());
            var signer = new JcaContentSignerBuilder(KeyType.signatureAlgorithm(keys.getPublic())).build(keys.getPrivate());
            return Pem.block("CERTIFICATE REQUEST", builder.build(signer).getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
