package dev.mizzen.galley.validation;

import dev.mizzen.api.networking.IstioEgressListener;
import dev.mizzen.api.networking.IstioIngressListener;
import dev.mizzen.api.networking.OutboundTrafficPolicy;
import dev.mizzen.api.networking.Sidecar;
import dev.mizzen.api.networking.SidecarPort;
import dev.mizzen.api.networking.ServerTlsSettings;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sidecar: something to configure; ingress listeners (a port, unique, an optional IP bind, a local default
 * endpoint, TLS of the terminating kinds); egress listeners (unique ports or unix sockets, one catch-all
 * without port and only last, hosts in {@code namespace/host} form); an egress proxy only with ALLOW_ANY.
 */
final class SidecarValidator implements KindValidator<Sidecar> {
    private static final String UNIX = "unix://";
    private static final Set<String> CAPTURE_MODES = Set.of("DEFAULT", "IPTABLES", "NONE");
    private static final Set<String> LOCAL_HOSTS = Set.of("", "127.0.0.1", "0.0.0.0", "::1", "::");

    @Override
    public void validate(Sidecar sidecar, String namespace, Findings out) {
        FieldPath spec = FieldPath.SPEC;
        if (sidecar.workloadSelector() != null) {
            Labels.checkSelector(out, spec.field("workloadSelector").field("labels"), sidecar.workloadSelector().labels(),
                    "sidecar: workload selector specified without labels, will be applied to all services in namespace");
        }
        if (sidecar.egress().isEmpty() && sidecar.ingress().isEmpty() && sidecar.outboundTrafficPolicy() == null
                && sidecar.inboundConnectionPool() == null) {
            out.error(spec, "sidecar: empty configuration provided");
            return;
        }
        Set<Integer> ingressPorts = new HashSet<>();
        for (int i = 0; i < sidecar.ingress().size(); i++) {
            ingress(out, spec.field("ingress").index(i), sidecar.ingress().get(i), ingressPorts);
        }
        ConnectionPoolValidator.check(out, spec.field("inboundConnectionPool"), sidecar.inboundConnectionPool());
        egressListeners(out, spec.field("egress"), sidecar.egress(), namespace);
        outboundPolicy(out, spec.field("outboundTrafficPolicy"), sidecar.outboundTrafficPolicy());
    }

    private static void ingress(Findings out, FieldPath at, IstioIngressListener in, Set<Integer> ports) {
        SidecarPort port = in.port();
        if (port == null) {
            out.error(at.field("port"), "sidecar: port is required for ingress listeners");
            return;
        }
        FieldPath portPath = at.field("port");
        if (port.targetPort() != null && port.targetPort() > 0) {
            out.error(portPath.field("targetPort"), "targetPort has no impact on Sidecars");
        }
        if (port.name() != null && !port.name().isEmpty()) {
            Ports.checkName(out, portPath.field("name"), port.name());
        }
        Ports.checkProtocol(out, portPath.field("protocol"), port.protocol());
        Ports.checkNumber(out, portPath.field("number"), port.number());
        bindIp(out, at.field("bind"), in.bind());
        if (!ports.add(port.number() == null ? 0 : port.number())) {
            out.error(portPath.field("number"), "sidecar: ports on IP bound listeners must be unique");
        }
        Enums.check(out, at.field("captureMode"), in.captureMode(), CAPTURE_MODES);
        defaultEndpoint(out, at.field("defaultEndpoint"), in.defaultEndpoint());
        if (in.tls() != null) {
            ingressTls(out, at.field("tls"), in.tls(), Ports.Protocol.parse(port.protocol()));
        }
        ConnectionPoolValidator.check(out, at.field("connectionPool"), in.connectionPool());
        if (in.connectionPool() != null && in.connectionPool().http() != null
                && !Ports.Protocol.parse(port.protocol()).isHttp()) {
            out.warning(at.field("connectionPool").field("http"), "sidecar: HTTP connection pool settings are configured for port "
                    + port.number() + " (\"" + port.name() + "\") but its protocol is not HTTP (" + port.protocol()
                    + "); only TCP settings will apply");
        }
    }

    /** {@code 127.0.0.1:port}, {@code 0.0.0.0:port}, {@code [::1]:port}, {@code [::]:port}, {@code :port} or a socket. */
    private static void defaultEndpoint(Findings out, FieldPath at, String endpoint) {
        if (endpoint == null || endpoint.isEmpty()) {
            return;
        }
        if (endpoint.startsWith(UNIX)) {
            out.errorIf(at, GatewayValidator.unixAddressError(endpoint.substring(UNIX.length())));
            return;
        }
        int colon = endpoint.lastIndexOf(':');
        if (colon < 0) {
            out.error(at, "address " + endpoint + ": missing port in address");
            return;
        }
        String host = endpoint.substring(0, colon);
        String port = endpoint.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            out.error(at, "address " + endpoint + ": too many colons in address");
        }
        if (!LOCAL_HOSTS.contains(host)) {
            out.error(at, "sidecar: defaultEndpoint must be of form 127.0.0.1:<port>,0.0.0.0:<port>,[::1]:port,[::]:port,"
                    + "unix://filepath or unset");
        }
        try {
            Ports.checkNumber(out, at, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            out.error(at, "sidecar: defaultEndpoint port (" + port + ") is not a number");
        }
    }

    private static void ingressTls(Findings out, FieldPath at, ServerTlsSettings tls, Ports.Protocol protocol) {
        if (!tls.subjectAltNames().isEmpty()) {
            out.error(at.field("subjectAltNames"), "sidecar: subjectAltNames is not supported in ingress tls");
        }
        if (Boolean.TRUE.equals(tls.httpsRedirect())) {
            out.error(at.field("httpsRedirect"), "sidecar: httpsRedirect is not supported");
        }
        if (tls.credentialName() != null && !tls.credentialName().isEmpty()) {
            out.error(at.field("credentialName"), "sidecar: credentialName is not currently supported");
        }
        if (!tls.credentialNames().isEmpty()) {
            out.error(at.field("credentialNames"), "sidecar: credentialNames is not currently supported");
        }
        if (!tls.tlsCertificates().isEmpty()) {
            out.error(at.field("tlsCertificates"), "sidecar: tls_certificates is not currently supported");
        }
        String mode = ServerTlsValidator.mode(tls);
        if (mode.equals("ISTIO_MUTUAL") || mode.equals("AUTO_PASSTHROUGH")) {
            out.error(at.field("mode"), "configuration is invalid: cannot set mode to " + mode + " in sidecar ingress tls");
        }
        if (!protocol.isTls()) {
            out.error(at, "server cannot have TLS settings for non HTTPS/TLS ports");
        }
        ServerTlsValidator.check(out, at, tls);
    }

    private static void egressListeners(Findings out, FieldPath at, List<IstioEgressListener> egress, String namespace) {
        Set<Integer> ports = new HashSet<>();
        Set<String> sockets = new HashSet<>();
        boolean catchAll = false;
        for (int i = 0; i < egress.size(); i++) {
            FieldPath p = at.index(i);
            IstioEgressListener listener = egress.get(i);
            SidecarPort port = listener.port();
            if (port == null) {
                if (catchAll) {
                    out.error(p, "sidecar: egress can have only one listener with empty port");
                    continue;
                }
                if (i == egress.size() - 1) {
                    catchAll = true;
                } else {
                    out.error(p, "sidecar: the egress listener with empty port should be the last listener in the list");
                }
            } else {
                egressPort(out, p, listener, ports, sockets);
            }
            Enums.check(out, p.field("captureMode"), listener.captureMode(), CAPTURE_MODES);
            egressHosts(out, p.field("hosts"), listener.hosts(), namespace);
        }
    }

    private static void egressPort(Findings out, FieldPath at, IstioEgressListener listener, Set<Integer> ports,
                                   Set<String> sockets) {
        SidecarPort port = listener.port();
        FieldPath portPath = at.field("port");
        String bind = listener.bind() == null ? "" : listener.bind();
        if (port.targetPort() != null && port.targetPort() > 0) {
            out.error(portPath.field("targetPort"), "targetPort has no impact on Sidecars");
        }
        if (port.name() != null && !port.name().isEmpty()) {
            Ports.checkName(out, portPath.field("name"), port.name());
        }
        Ports.checkProtocol(out, portPath.field("protocol"), port.protocol());
        int number = port.number() == null ? 0 : port.number();
        if (number == 0) {
            // port 0: the listener is a unix domain socket
            if (!bind.startsWith(UNIX)) {
                out.error(at.field("bind"), "sidecar: ports with 0 value must have a unix domain socket bind address");
            } else {
                out.errorIf(at.field("bind"), GatewayValidator.unixAddressError(bind.substring(UNIX.length())));
            }
            String mode = listener.captureMode();
            if (mode != null && !mode.equals("DEFAULT") && !mode.equals("NONE")) {
                out.error(at.field("captureMode"), "sidecar: captureMode must be DEFAULT/NONE for unix domain socket listeners");
            }
            if (!sockets.add(bind)) {
                out.error(at.field("bind"), "sidecar: unix domain socket values for listeners must be unique");
            }
            return;
        }
        Ports.checkNumber(out, portPath.field("number"), number);
        bindIp(out, at.field("bind"), bind);
        if (!ports.add(number)) {
            out.error(portPath.field("number"), "sidecar: ports on IP bound listeners must be unique");
        }
    }

    /** Hosts as {@code namespace/host}; repeats and hosts already covered by a wildcard get warnings. */
    private static void egressHosts(Findings out, FieldPath at, List<String> hosts, String namespace) {
        if (hosts.isEmpty()) {
            out.error(at, "sidecar: egress listener must contain at least one host");
            return;
        }
        Map<String, Set<String>> byNamespace = new HashMap<>();
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i);
            FieldPath p = at.index(i);
            int slash = host.indexOf('/');
            if (slash >= 0) {
                String ns = host.substring(0, slash);
                String name = host.substring(slash + 1);
                Set<String> names = byNamespace.computeIfAbsent(ns.equals(".") ? namespace : ns, k -> new HashSet<>());
                boolean duplicate = name.equals("*") ? !names.isEmpty() : names.contains(name) || names.contains("*");
                if (duplicate) {
                    out.warning(p, "duplicated egress host: " + host);
                }
                names.add(name);
            }
            for (String error : Hosts.namespacedHostErrors(host, false)) {
                out.error(p, error);
            }
        }
        if (byNamespace.getOrDefault("*", Set.of()).contains("*") && byNamespace.size() != 1) {
            out.warning(at, "`*/*` host select all resources, no other hosts can be added");
        }
    }

    private static void outboundPolicy(Findings out, FieldPath at, OutboundTrafficPolicy policy) {
        if (policy == null) {
            return;
        }
        Enums.check(out, at.field("mode"), policy.mode(), Set.of("REGISTRY_ONLY", "ALLOW_ANY"));
        if (policy.egressProxy() == null) {
            return;
        }
        FieldPath proxy = at.field("egressProxy");
        if (!"ALLOW_ANY".equals(policy.mode())) {
            out.error(proxy, "sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode");
            return;
        }
        out.errorIf(proxy.field("host"), Hosts.fqdnError(policy.egressProxy().host()));
        if (policy.egressProxy().port() == null) {
            out.error(proxy.field("port"), "sidecar: egress_proxy port must be non-nil");
            return;
        }
        Destinations.check(out, proxy, policy.egressProxy());
    }

    private static void bindIp(Findings out, FieldPath at, String bind) {
        if (bind != null && !bind.isEmpty() && !IpAddresses.isIp(bind)) {
            out.error(at, bind + " is not a valid IP");
        }
    }
}
