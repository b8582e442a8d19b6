package dev.mizzen.pilot.testing.simulation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of a call table: with these Istio samples applied, this request from this proxy should come to
 * {@code expected}. The destination is named, not numbered ({@link Target}), so the same row runs where cluster
 * IPs and pod IPs differ (a fixed registry in pilot's tests, a cluster's allocators in the it module).
 */
public record TableCall(String name, List<String> samples, ProxyKind proxy, Target target, int port, CallMode mode,
                        Protocol protocol, TlsMode tls, String authority, String path, Map<String, String> headers,
                        Outcome expected) {

    public TableCall {
        samples = List.copyOf(samples);
        headers = Map.copyOf(headers);
    }

    /** The proxies of the Bookinfo tables. */
    public enum ProxyKind {
        /** productpage v1's sidecar, namespace default */
        PRODUCTPAGE_SIDECAR,
        /** the ingress gateway (labels istio=ingressgateway), namespace istio-system */
        INGRESS_GATEWAY
    }

    /** Where the request is addressed. */
    public sealed interface Target {
        /** The cluster IP of a Service of the proxy's namespace (short name). */
        record ServiceVip(String service) implements Target {}

        /** The proxy's own workload IP, as a call to it arrives. */
        record ProxyIp() implements Target {}

        /** A fixed address, e.g. outside the mesh. */
        record Literal(String address) implements Target {}
    }

    /** Resolves {@link Target}s where the table runs. */
    public interface Addresses {
        String serviceVip(String service);

        String proxyIp();

        default String of(Target target) {
            if (target instanceof Target.ServiceVip vip) {
                return serviceVip(vip.service());
            }
            if (target instanceof Target.Literal literal) {
                return literal.address();
            }
            return proxyIp();
        }
    }

    /** The request for our simulation. */
    public Request request(Addresses addresses) {
        Request r = Request.http(addresses.of(target), port).withMode(mode).withProtocol(protocol).withTls(tls)
                .withAuthority(authority).withPath(path);
        for (Map.Entry<String, String> h : headers.entrySet()) {
            r = r.withHeader(h.getKey(), h.getValue());
        }
        return r;
    }

    @Override
    public String toString() {
        return name + " " + samples;
    }

    /** A row under construction: an HTTP/1.1 plaintext outbound GET / unless told otherwise. */
    public static final class Builder {
        private final String name;
        private final List<String> samples;
        private final ProxyKind proxy;
        private Target target = new Target.Literal("10.10.10.10");
        private int port = 9080;
        private CallMode mode = CallMode.OUTBOUND;
        private Protocol protocol = Protocol.HTTP;
        private TlsMode tls = TlsMode.PLAINTEXT;
        private String authority = "";
        private String path = "/";
        private final Map<String, String> headers = new LinkedHashMap<>();

        Builder(String name, ProxyKind proxy, List<String> samples) {
            this.name = name;
            this.proxy = proxy;
            this.samples = samples;
        }

        /** To a Service's cluster IP, with Host {@code host}. */
        public Builder toService(String service, String host) {
            target = new Target.ServiceVip(service);
            authority = host;
            return this;
        }

        public Builder to(Target value, int toPort) {
            target = value;
            port = toPort;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder host(String value) {
            authority = value;
            return this;
        }

        public Builder path(String value) {
            path = value;
            return this;
        }

        public Builder header(String header, String value) {
            headers.put(header, value);
            return this;
        }

        public Builder tcp() {
            protocol = Protocol.TCP;
            return this;
        }

        public Builder mtls() {
            tls = TlsMode.MTLS;
            return this;
        }

        public Builder inbound() {
            mode = CallMode.INBOUND;
            target = new Target.ProxyIp();
            return this;
        }

        public Builder gateway() {
            mode = CallMode.GATEWAY;
            return this;
        }

        public TableCall expect(Outcome outcome) {
            return new TableCall(name, samples, proxy, target, port, mode, protocol, tls, authority, path, headers, outcome);
        }
    }
}
