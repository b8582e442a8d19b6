package io.grpc.xds;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.xds.client.Bootstrapper;
import io.grpc.xds.client.EnvoyProtoData;
import io.grpc.xds.client.XdsResourceType;
import io.grpc.xds.internal.rbac.engine.GrpcAuthorizationEngine;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.SSLSession;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * grpc-java's own xDS server code, run on the listeners istiod generates: the LDS parser an
 * {@code XdsServerBuilder} server applies to {@code xds.istio.io/grpc/lds/inbound/...} (what it accepts, what it
 * NACKs and why), and the RBAC engine its server interceptors evaluate calls with. {@code XdsListenerResource} and
 * the parsed types are package-private, so this test helper lives in their package. The bootstrap is Istio's
 * gRPC agent's: one certificate provider, {@code default}.
 */
public final class GrpcJavaXds {
    private static final Bootstrapper.ServerInfo SERVER = Bootstrapper.ServerInfo.create("localhost:15010",
            io.grpc.InsecureChannelCredentials.create());
    private static final Bootstrapper.BootstrapInfo BOOTSTRAP = Bootstrapper.BootstrapInfo.builder()
            .servers(List.of(SERVER))
            .node(EnvoyProtoData.Node.newBuilder().setId("sidecar~10.1.0.99~server.default~default.svc.cluster.local").build())
            .certProviders(Map.of("default", Bootstrapper.CertificateProviderInfo.create("file_watcher",
                    Map.of("certificate_file", "/var/lib/istio/data/cert-chain.pem",
                            "private_key_file", "/var/lib/istio/data/key.pem",
                            "ca_certificate_file", "/var/lib/istio/data/root-cert.pem",
                            "refresh_interval", "900s"))))
            .serverListenerResourceNameTemplate("xds.istio.io/grpc/lds/inbound/%s")
            .build();

    private GrpcJavaXds() {
    }

    /** What grpc-java rejected, in its words (the NACK's error detail). */
    public static final class Rejected extends RuntimeException {
        Rejected(String message) {
            super(message);
        }
    }

    /** A filter chain as grpc-java's server holds it. */
    public record Chain(String name, boolean tls, boolean requireClientCertificate, List<String> httpFilters,
                        List<String> routes) {
    }

    /** A server listener as grpc-java's server holds it: its address ({@code ip:port}) and chains. */
    public record ServerListener(String name, String address, List<Chain> chains, boolean hasDefaultChain) {
    }

    /** Parses a server-side Listener (serialized by any protobuf runtime) with grpc-java's LDS parser. */
    public static ServerListener parseServerListener(byte[] listener) {
        EnvoyServerProtoData.Listener parsed = parse(listener);
        List<Chain> chains = new ArrayList<>();
        for (EnvoyServerProtoData.FilterChain chain : parsed.filterChains()) {
            EnvoyServerProtoData.DownstreamTlsContext tls = chain.sslContextProviderSupplier() == null ? null
                    : (EnvoyServerProtoData.DownstreamTlsContext) chain.sslContextProviderSupplier().getTlsContext();
            HttpConnectionManager hcm = chain.httpConnectionManager();
            List<String> routes = new ArrayList<>();
            for (VirtualHost host : hcm.virtualHosts()) {
                for (VirtualHost.Route route : host.routes()) {
                    routes.add(host.domains() + " " + (route.routeAction() == null ? "non-forwarding"
                            : "to " + route.routeAction().cluster()));
                }
            }
            chains.add(new Chain(chain.name(), tls != null, tls != null && tls.isRequireClientCertificate(),
                    hcm.httpFilterConfigs().stream().map(f -> f.name).toList(), routes));
        }
        return new ServerListener(parsed.name(), parsed.address(), chains, parsed.defaultFilterChain() != null);
    }

    /** A cluster as grpc-java's client holds it: whether it speaks TLS, and the server identities it accepts. */
    public record ClientCluster(String name, boolean tls, List<String> serverIdentities) {
    }

    /** Parses a Cluster with grpc-java's CDS parser (the client side of mTLS). */
    public static ClientCluster parseCluster(byte[] cluster) {
        try {
            var proto = io.grpc.xds.shaded.io.envoyproxy.envoy.config.cluster.v3.Cluster.parseFrom(cluster);
            XdsResourceType.Args args = new XdsResourceType.Args(SERVER, "1", "1", BOOTSTRAP, null, Set.of(proto.getName()));
            XdsClusterResource.CdsUpdate update = XdsClusterResource.getInstance().doParse(args, proto);
            EnvoyServerProtoData.UpstreamTlsContext tls = update.upstreamTlsContext();
            List<String> sans = tls == null ? List.of() : tls.getCommonTlsContext().getValidationContext()
                    .getMatchSubjectAltNamesList().stream().map(m -> m.getExact()).toList();
            return new ClientCluster(update.clusterName(), tls != null, sans);
        } catch (XdsResourceType.ResourceInvalidException e) {
            throw new Rejected(e.getMessage());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * Whether the RBAC filters of the listener's first filter chain let a call through, as grpc-java's server
     * interceptors decide: each RBAC filter's engine in order, any DENY decision refuses the call.
     *
     * @param peer the client certificate (mTLS), or null for plaintext
     */
    public static boolean authorizes(byte[] listener, String fullMethodName, Map<String, String> headers,
                                     X509Certificate peer) {
        EnvoyServerProtoData.Listener parsed = parse(listener);
        int port = Integer.parseInt(parsed.address().substring(parsed.address().lastIndexOf(':') + 1));
        ServerCall<Object, Object> call = call(fullMethodName, peer, port);
        Metadata metadata = new Metadata();
        headers.forEach((k, v) -> metadata.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
        for (Filter.NamedFilterConfig filter : parsed.filterChains().get(0).httpConnectionManager().httpFilterConfigs()) {
            if (filter.filterConfig instanceof RbacConfig rbac && rbac.authConfig() != null) {
                GrpcAuthorizationEngine.AuthDecision decision = new GrpcAuthorizationEngine(rbac.authConfig())
                        .evaluate(metadata, call);
                if (decision.decision() == GrpcAuthorizationEngine.Action.DENY) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A self-signed client certificate whose URI SAN is the SPIFFE identity; what the engine reads is the SAN. */
    public static X509Certificate peerCertificate(String spiffeId) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name("O=mizzen-test");
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
                    Date.from(Instant.parse("2020-01-01T00:00:00Z")), Date.from(Instant.parse("2100-01-01T00:00:00Z")),
                    subject, keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId)));
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static EnvoyServerProtoData.Listener parse(byte[] listener) {
        try {
            var proto = io.grpc.xds.shaded.io.envoyproxy.envoy.config.listener.v3.Listener.parseFrom(listener);
            // the server's xDS client passes its TLS context manager as the security config
            XdsResourceType.Args args = new XdsResourceType.Args(SERVER, "1", "1", BOOTSTRAP,
                    new io.grpc.xds.internal.security.TlsContextManagerImpl(BOOTSTRAP), Set.of(proto.getName()));
            return XdsListenerResource.getInstance().doParse(args, proto).listener();
        } catch (XdsResourceType.ResourceInvalidException e) {
            throw new Rejected(e.getMessage());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ServerCall<Object, Object> call(String fullMethodName, X509Certificate peer, int port) {
        MethodDescriptor.Marshaller<Object> bytes = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Object value) {
                return new ByteArrayInputStream(new byte[0]);
            }

            @Override
            public Object parse(InputStream stream) {
                return new Object();
            }
        };
        MethodDescriptor<Object, Object> method = MethodDescriptor.newBuilder(bytes, bytes)
                .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(fullMethodName).build();
        Attributes.Builder attributes = Attributes.newBuilder()
                .set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR, new InetSocketAddress("10.1.0.50", 40000))
                .set(Grpc.TRANSPORT_ATTR_LOCAL_ADDR, new InetSocketAddress("10.1.0.99", port));
        if (peer != null) {
            attributes.set(Grpc.TRANSPORT_ATTR_SSL_SESSION, session(peer));
        }
        Attributes built = attributes.build();
        return new ServerCall<>() {
            @Override
            public void request(int numMessages) {
            }

            @Override
            public void sendHeaders(Metadata headers) {
            }

            @Override
            public void sendMessage(Object message) {
            }

            @Override
            public void close(Status status, Metadata trailers) {
            }

            @Override
            public boolean isCancelled() {
                return false;
            }

            @Override
            public MethodDescriptor<Object, Object> getMethodDescriptor() {
                return method;
            }

            @Override
            public Attributes getAttributes() {
                return built;
            }

            @Override
            public String getAuthority() {
                return "server.default.svc.cluster.local:" + port;
            }
        };
    }

    /** An SSL session that knows only its peer's certificate: all the engine asks of it. */
    private static SSLSession session(X509Certificate peer) {
        return (SSLSession) java.lang.reflect.Proxy.newProxyInstance(GrpcJavaXds.class.getClassLoader(),
                new Class<?>[]{SSLSession.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getPeerCertificates" -> new Certificate[]{peer};
                    case "isValid" -> true;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "test SSLSession";
                    default -> m.getReturnType() == int.class ? 0 : m.getReturnType() == long.class ? 0L : null;
                });
    }
}
