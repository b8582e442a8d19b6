package dev.mizzen.galley.validation;

import dev.mizzen.api.networking.Gateway;
import dev.mizzen.api.networking.Port;
import dev.mizzen.api.networking.Server;
import dev.mizzen.api.networking.ServerTlsSettings;

import java.util.HashSet;
import java.util.Set;

/**
 * Gateway: at least one server; each with hosts ({@code namespace/host} or a bare host), a named port with
 * a known protocol, an optional bind address (IP or {@code unix://}), and TLS exactly where the protocol wants
 * it (HTTPS/TLS need it; plain HTTP may only carry {@code httpsRedirect}). Port names are unique.
 */
final class GatewayValidator implements KindValidator<Gateway> {
    private static final String UNIX = "unix://";

    @Override
    public void validate(Gateway gateway, String namespace, Findings out) {
        FieldPath servers = FieldPath.SPEC.field("servers");
        if (gateway.servers().isEmpty()) {
            out.error(servers, "gateway must have at least one server");
        }
        Set<String> portNames = new HashSet<>();
        for (int i = 0; i < gateway.servers().size(); i++) {
            FieldPath p = servers.index(i);
            Server server = gateway.servers().get(i);
            server(out, p, server);
            if (server.port() != null) {
                String name = server.port().name() == null ? "" : server.port().name();
                if (!portNames.add(name)) {
                    out.error(p.field("port").field("name"), "port names in servers must be unique: duplicate name " + name);
                }
                if (!Ports.Protocol.parse(server.port().protocol()).isHttp() && server.tls() != null
                        && Boolean.TRUE.equals(server.tls().httpsRedirect())) {
                    out.warning(p.field("tls").field("httpsRedirect"), "tls.httpsRedirect should only be used with http servers");
                }
            }
        }
    }

    private static void server(Findings out, FieldPath at, Server server) {
        if (server.hosts().isEmpty()) {
            out.error(at.field("hosts"), "server config must contain at least one host");
        }
        for (int i = 0; i < server.hosts().size(); i++) {
            for (String error : Hosts.namespacedHostErrors(server.hosts().get(i), true)) {
                out.error(at.field("hosts").index(i), error);
            }
        }
        int before = out.errorCount();
        port(out, at.field("port"), server.port(), server.bind());
        boolean portValid = out.errorCount() == before;
        bind(out, at, server.port(), server.bind());
        ServerTlsValidator.check(out, at.field("tls"), server.tls());
        if (portValid) {
            tlsMatchesProtocol(out, at, Ports.Protocol.parse(server.port().protocol()), server.tls());
        }
    }

    private static void port(Findings out, FieldPath at, Port port, String bind) {
        if (port == null) {
            out.error(at, "port is required");
            return;
        }
        if (Ports.Protocol.parse(port.protocol()) == Ports.Protocol.UNSUPPORTED) {
            out.error(at.field("protocol"), "invalid protocol \"" + (port.protocol() == null ? "" : port.protocol())
                    + "\", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP");
        }
        boolean unix = bind != null && bind.startsWith(UNIX);
        if ((port.number() != null && port.number() > 0) || !unix) {
            Ports.checkNumber(out, at.field("number"), port.number());
        }
        if (port.targetPort() != null && port.targetPort() > 0) {
            out.error(at.field("targetPort"), "targetPort has no impact on Gateways");
        }
        if (port.name() == null || port.name().isEmpty()) {
            out.error(at.field("name"), "port name must be set");
        }
    }

    private static void bind(Findings out, FieldPath at, Port port, String bind) {
        if (bind == null || bind.isEmpty()) {
            return;
        }
        if (bind.startsWith(UNIX)) {
            out.errorIf(at.field("bind"), unixAddressError(bind.substring(UNIX.length())));
            if (port != null && port.number() != null && port.number() != 0) {
                out.error(at.field("port").field("number"), "port number must be 0 for unix domain socket");
            }
        } else if (!IpAddresses.isIp(bind)) {
            out.error(at.field("bind"), bind + " is not a valid IP");
        }
    }

    private static void tlsMatchesProtocol(Findings out, FieldPath at, Ports.Protocol protocol, ServerTlsSettings tls) {
        if (protocol.isTls() && tls == null) {
            out.error(at.field("tls"), "server must have TLS settings for HTTPS/TLS protocols");
        } else if (!protocol.isTls() && tls != null) {
            if (!protocol.isHttp()) {
                out.error(at.field("tls"), "server cannot have TLS settings for non HTTPS/TLS ports");
                return;
            }
            // plain HTTP may only redirect to HTTPS: mode left PASSTHROUGH and no certificates
            String mode = ServerTlsValidator.mode(tls);
            boolean passthrough = mode.equals("PASSTHROUGH") || mode.equals("AUTO_PASSTHROUGH");
            if (!passthrough || notEmpty(tls.caCertificates()) || notEmpty(tls.privateKey())
                    || notEmpty(tls.serverCertificate())) {
                out.error(at.field("tls"), "server cannot have TLS settings for plain text HTTP ports");
            }
        }
    }

    /** A unix domain socket path: absolute (not a directory) or abstract ({@code @name}). */
    static String unixAddressError(String path) {
        if (path.isEmpty()) {
            return "unix address must not be empty";
        }
        if (path.startsWith("@")) {
            return null;
        }
        if (!path.startsWith("/") || path.endsWith("/")) {
            return path + " is not an absolute path to a file";
        }
        return null;
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
