package dev.mizzen.istiod.cli.inspect;

import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * istioctl's short tables of {@code proxy-config cluster|listener|route|endpoint|secret}
 * ({@code istioctl/pkg/writer/envoy/configdump}), from the resources istiod sent one proxy. Pure.
 */
final class ConfigSummaries {
    static final String HTTP_CONNECTION_MANAGER = "envoy.filters.network.http_connection_manager";
    static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";

    private ConfigSummaries() {
    }

    static String clusters(ConfigDumpView dump) {
        TextTable table = TextTable.withHeader(5, "SERVICE FQDN", "PORT", "SUBSET", "DIRECTION", "TYPE", "DESTINATION RULE");
        for (JsonNode c : dump.clusters()) {
            ConfigDumpView.ClusterName name = ConfigDumpView.ClusterName.of(c.path("name").asString(""));
            // protobuf JSON leaves the default out: no "type" is STATIC
            String type = c.path("type").asString("STATIC");
            if (name.istio()) {
                table.row(name.fqdn(), String.valueOf(name.port()), name.subset().isEmpty() ? "-" : name.subset(),
                        name.direction(), type, managedBy(c.path("metadata")));
            } else {
                table.row(name.fqdn(), "-", "-", "-", type, managedBy(c.path("metadata")));
            }
        }
        return table.render();
    }

    static String listeners(ConfigDumpView dump) {
        List<JsonNode> listeners = new ArrayList<>(dump.listeners());
        listeners.sort(Comparator.comparingInt((JsonNode l) -> port(l)).thenComparing(ConfigSummaries::address)
                .thenComparing(ConfigSummaries::listenerType));
        TextTable table = TextTable.withHeader(1, "ADDRESS", "PORT", "MATCH", "DESTINATION");
        for (JsonNode l : listeners) {
            List<String[]> matches = new ArrayList<>();
            for (JsonNode chain : filterChains(l)) {
                matches.add(new String[] {describeChainMatch(chain.path("filterChainMatch")), destination(chain.path("filters"))});
            }
            // istioctl's order within a listener: by destination, descending
            matches.sort(Comparator.comparing((String[] m) -> m[1]).reversed());
            for (String[] m : matches) {
                table.row(address(l), String.valueOf(port(l)), m[0], m[1]);
            }
        }
        return table.render();
    }

    static String routes(ConfigDumpView dump) {
        TextTable table = TextTable.withHeader(5, "NAME", "VHOST NAME", "DOMAINS", "MATCH", "VIRTUAL SERVICE");
        for (JsonNode config : dump.routes()) {
            for (JsonNode vhost : config.path("virtualHosts")) {
                for (JsonNode route : vhost.path("routes")) {
                    table.row(config.path("name").asString(""), vhost.path("name").asString(""),
                            describeDomains(vhost.path("domains")), describeRouteMatch(route.path("match")),
                            managedBy(route.path("metadata")));
                }
            }
        }
        return table.render();
    }

    static String endpoints(ConfigDumpView dump) {
        TextTable table = TextTable.withHeader(5, "ENDPOINT", "STATUS", "LOCALITY", "CLUSTER");
        for (JsonNode assignment : dump.endpoints()) {
            String cluster = assignment.path("clusterName").asString("");
            for (JsonNode locality : assignment.path("endpoints")) {
                for (JsonNode lb : locality.path("lbEndpoints")) {
                    JsonNode socket = lb.path("endpoint").path("address").path("socketAddress");
                    String endpoint = socket.isMissingNode()
                            ? lb.path("endpoint").path("address").path("pipe").path("path").asString("")
                            : socket.path("address").asString("") + ":" + socket.path("portValue").asInt(0);
                    table.row(endpoint, health(lb.path("healthStatus").asString("")), locality(locality.path("locality")),
                            cluster);
                }
            }
        }
        return table.render();
    }

    static String secrets(ConfigDumpView dump, Instant now) {
        TextTable table = TextTable.withHeader(5, "RESOURCE NAME", "TYPE", "STATUS", "VALID CERT", "SERIAL NUMBER",
                "NOT AFTER", "NOT BEFORE");
        for (JsonNode s : dump.secrets()) {
            JsonNode secret = s.path("secret");
            String name = s.path("name").asString(secret.path("name").asString(""));
            String pem;
            String type;
            if (secret.has("tlsCertificate")) {
                type = "Cert Chain";
                pem = secret.path("tlsCertificate").path("certificateChain").path("inlineBytes").asString("");
            } else if (secret.has("validationContext")) {
                type = "CA";
                pem = secret.path("validationContext").path("trustedCa").path("inlineBytes").asString("");
            } else {
                table.row(name, "", "ACTIVE");
                continue;
            }
            X509Certificate cert = firstCertificate(pem);
            if (cert == null) {
                table.row(name, type, "ACTIVE", "false");
                continue;
            }
            boolean valid = !now.isBefore(cert.getNotBefore().toInstant()) && !now.isAfter(cert.getNotAfter().toInstant());
            table.row(name, type, "ACTIVE", String.valueOf(valid), cert.getSerialNumber().toString(16),
                    time(cert.getNotAfter().toInstant()), time(cert.getNotBefore().toInstant()));
        }
        return table.render();
    }

    private static List<JsonNode> filterChains(JsonNode listener) {
        List<JsonNode> out = new ArrayList<>();
        listener.path("filterChains").forEach(out::add);
        if (listener.has("defaultFilterChain")) {
            out.add(listener.get("defaultFilterChain"));
        }
        return out;
    }

    private static String address(JsonNode listener) {
        return listener.path("address").path("socketAddress").path("address").asString("");
    }

    private static int port(JsonNode listener) {
        return listener.path("address").path("socketAddress").path("portValue").asInt(0);
    }

    /** istioctl's listener TYPE: what its filter chains serve. */
    private static String listenerType(JsonNode listener) {
        int http = 0;
        int tcp = 0;
        for (JsonNode chain : filterChains(listener)) {
            for (JsonNode filter : chain.path("filters")) {
                String name = filter.path("name").asString("");
                http += name.equals(HTTP_CONNECTION_MANAGER) ? 1 : 0;
                tcp += name.equals(TCP_PROXY) ? 1 : 0;
            }
        }
        return http > 0 ? (tcp > 0 ? "HTTP+TCP" : "HTTP") : tcp > 0 ? "TCP" : "UNKNOWN";
    }

    private static String describeChainMatch(JsonNode match) {
        List<String> out = new ArrayList<>();
        if (match.has("serverNames")) {
            out.add("SNI: " + join(match.path("serverNames"), ","));
        }
        if (match.has("transportProtocol")) {
            out.add("Trans: " + match.path("transportProtocol").asString(""));
        }
        if (match.has("applicationProtocols")) {
            out.add(describeAlpn(join(match.path("applicationProtocols"), ",")));
        }
        String port = match.has("destinationPort") ? ":" + match.path("destinationPort").asInt() : "";
        if (match.has("prefixRanges")) {
            List<String> ranges = new ArrayList<>();
            match.path("prefixRanges").forEach(r -> ranges.add(r.path("addressPrefix").asString("") + "/"
                    + r.path("prefixLen").asInt(0)));
            out.add("Addr: " + String.join(",", ranges) + port);
        } else if (!port.isEmpty()) {
            out.add("Addr: *" + port);
        }
        return out.isEmpty() ? "ALL" : String.join("; ", out);
    }

    /** istioctl's names for the ALPN sets Istio's listeners match on. */
    private static String describeAlpn(String alpn) {
        return switch (alpn) {
            case "http/1.0,http/1.1,h2c,istio-http/1.0,istio-http/1.1,istio-h2" -> "App: HTTP TLS";
            case "istio,istio-http/1.0,istio-http/1.1,istio-h2" -> "App: Istio HTTP Plain";
            case "istio-peer-exchange,istio" -> "App: TCP TLS";
            case "http/1.0,http/1.1,h2c" -> "App: HTTP";
            default -> "App: " + alpn;
        };
    }

    private static String destination(JsonNode filters) {
        for (JsonNode filter : filters) {
            String name = filter.path("name").asString("");
            JsonNode config = filter.path("typedConfig");
            if (name.equals(HTTP_CONNECTION_MANAGER)) {
                if (config.has("routeConfig")) {
                    return describeInlineRoute(config.path("routeConfig"));
                }
                String rds = config.path("rds").path("routeConfigName").asString("");
                return rds.isEmpty() ? "HTTP" : "Route: " + rds;
            }
            if (name.equals(TCP_PROXY) && !config.toString().contains("BlackHoleCluster")) {
                String cluster = config.path("cluster").asString("");
                return cluster.contains("Cluster") ? cluster : "Cluster: " + cluster;
            }
        }
        return "Non-HTTP/Non-TCP";
    }

    private static String describeInlineRoute(JsonNode route) {
        JsonNode vhosts = route.path("virtualHosts");
        if (vhosts.size() == 1 && join(vhosts.get(0).path("domains"), ",").equals("*")
                && vhosts.get(0).path("routes").size() == 1) {
            JsonNode only = vhosts.get(0).path("routes").get(0);
            String cluster = only.path("route").path("cluster").asString("");
            if ("/".equals(only.path("match").path("prefix").asString("")) && !cluster.isEmpty()) {
                return cluster.contains("Cluster") ? cluster : "Cluster: " + cluster;
            }
        }
        List<String> out = new ArrayList<>();
        for (JsonNode vhost : vhosts) {
            String domains = join(vhost.path("domains"), "/");
            List<String> matches = new ArrayList<>();
            vhost.path("routes").forEach(r -> matches.add(describeRouteMatch(r.path("match"))));
            String routes = String.join(", ", matches);
            out.add(domains.equals("*") ? routes : domains + " " + routes);
        }
        return "Inline Route: " + String.join("; ", out);
    }

    private static String describeRouteMatch(JsonNode match) {
        List<String> out = new ArrayList<>();
        if (match.has("prefix")) {
            out.add(match.path("prefix").asString("") + "*");
        }
        if (match.has("path")) {
            out.add(match.path("path").asString(""));
        }
        if (match.has("safeRegex")) {
            out.add("regex " + match.path("safeRegex").path("regex").asString(""));
        }
        return String.join(" ", out);
    }

    /** istioctl shows one domain of a virtual host: the shortest that does not start with a digit, and how many more. */
    private static String describeDomains(JsonNode domains) {
        List<String> all = new ArrayList<>();
        domains.forEach(d -> all.add(d.asString("")));
        if (all.size() <= 1) {
            return all.isEmpty() ? "" : all.get(0);
        }
        String candidate = all.get(0);
        for (String d : all) {
            if (!d.isEmpty() && (d.charAt(0) < '1' || d.charAt(0) > '9') && d.length() < candidate.length()) {
                candidate = d;
            }
        }
        return candidate + " + " + (all.size() - 1) + " more...";
    }

    /** The Istio object a resource came from, from Istio's {@code istio} filter metadata, as {@code name.namespace}. */
    private static String managedBy(JsonNode metadata) {
        String config = metadata.path("filterMetadata").path("istio").path("config").asString("");
        String[] parts = config.split("/");
        // /apis/<group>/<version>/namespaces/<ns>/<kind>/<name>
        return parts.length >= 8 ? parts[7] + "." + parts[5] : "";
    }

    private static String health(String status) {
        return status.isEmpty() || status.equals("UNKNOWN") ? "HEALTHY" : status;
    }

    private static String locality(JsonNode locality) {
        List<String> parts = new ArrayList<>();
        for (String key : List.of("region", "zone", "subZone")) {
            String v = locality.path(key).asString("");
            if (!v.isEmpty()) {
                parts.add(v);
            }
        }
        return String.join("/", parts);
    }

    private static X509Certificate firstCertificate(String base64Pem) {
        try {
            byte[] pem = Base64.getDecoder().decode(base64Pem);
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
        } catch (IllegalArgumentException | CertificateException e) {
            return null;
        }
    }

    private static String time(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String join(JsonNode array, String separator) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asString("")));
        return String.join(separator, out);
    }
}
