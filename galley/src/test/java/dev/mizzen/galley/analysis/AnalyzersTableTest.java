package dev.mizzen.galley.analysis;

import dev.mizzen.galley.manifest.ManifestDocument;
import dev.mizzen.galley.manifest.ManifestReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * For each analyzer a minimal mesh that triggers it (the message's whole line compared) and the same mesh fixed,
 * which must analyze clean of that code.
 */
class AnalyzersTableTest {
    private static final String SVC = """
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: default}
            spec:
              selector: {app: reviews}
              ports: [{name: http, port: 9080}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: reviews-1, namespace: default, labels: {app: reviews, version: v1}}
            spec: {containers: [{name: reviews}, {name: istio-proxy, image: proxyv2}]}
            """;

    private static final Instant NOW = Instant.now();
    private static final TestCertificates.Credential VALID = TestCertificates.credential("a.example.com",
            NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
    private static final TestCertificates.Credential EXPIRED = TestCertificates.credential("a.example.com",
            NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1)));
    private static final TestCertificates.Credential NOT_YET_VALID = TestCertificates.credential("a.example.com",
            NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("IST0101", SVC + vs("reviewz", ""), SVC + vs("reviews", ""),
                        "Error [IST0101] (VirtualService default/reviews) Referenced host not found: \"reviewz\""),
                Arguments.of("IST0101", SVC + vs("reviews", "v9"), SVC + vs("reviews", "v1") + dr("reviews", ""),
                        "Error [IST0101] (VirtualService default/reviews) Referenced host+subset in destinationrule not"
                                + " found: \"reviews+v9\""),
                Arguments.of("IST0101", SVC + gatewayVs("nope"), SVC + gw("gw", "istio=ingressgateway", 80, "*")
                                + gatewayVs("gw"),
                        "Error [IST0101] (VirtualService default/front) Referenced gateway not found: \"nope\""),
                Arguments.of("IST0101", SVC + authz("bogus"), SVC + authz("default"),
                        "Error [IST0101] (AuthorizationPolicy default/allow) Referenced namespace not found: \"bogus\""),
                Arguments.of("IST0101", SVC + sidecarEgress("default/ratings.default.svc.cluster.local"),
                        SVC + sidecarEgress("default/reviews.default.svc.cluster.local"),
                        "Error [IST0101] (Sidecar default/egress) Referenced egress host not found:"
                                + " \"default/ratings.default.svc.cluster.local\""),
                Arguments.of("IST0002", SVC + vs("reviews", "").replace("  - route:", "  - fault: {delay: {percent: 50, fixedDelay: 1s}}\n    route:"),
                        SVC + vs("reviews", "").replace("  - route:", "  - fault: {delay: {percentage: {value: 50}, fixedDelay: 1s}}\n    route:"),
                        "Warning [IST0002] (VirtualService default/reviews) Deprecated: HTTPRoute.fault.delay.percent is"
                                + " deprecated; use HTTPRoute.fault.delay.percentage"),
                Arguments.of("IST0138", SVC + tlsGw("a", "shop-cert") + tlsGw("b", "shop-cert"),
                        SVC + tlsGw("a", "shop-cert") + tlsGw("b", "other-cert"),
                        "Warning [IST0138] (Gateway default/a) Duplicate certificate in multiple gateways [default/a"
                                + " default/b] may cause 404s if clients re-use HTTP2 connections."),
                Arguments.of("IST0101", SVC + tlsGw("a", "shop-cert"),
                        SVC + tlsGw("a", "shop-cert") + TestCertificates.tlsSecret("istio-system", "shop-cert", VALID),
                        "Error [IST0101] (Gateway default/a) Referenced credentialName not found: \"shop-cert\""),
                Arguments.of("IST0161", SVC + tlsGw("a", "shop-cert")
                                + TestCertificates.tlsSecret("istio-system", "shop-cert", EXPIRED),
                        SVC + tlsGw("a", "shop-cert") + TestCertificates.tlsSecret("istio-system", "shop-cert", VALID),
                        "Error [IST0161] (Gateway default/a) The credential referenced by the Gateway a in namespace"
                                + " istio-system is invalid, which can cause the traffic not to work as expected."),
                Arguments.of("IST0161", SVC + tlsGw("a", "shop-cert")
                                + TestCertificates.tlsSecret("istio-system", "shop-cert", NOT_YET_VALID),
                        SVC + tlsGw("a", "shop-cert") + TestCertificates.tlsSecret("istio-system", "shop-cert", VALID),
                        "Error [IST0161] (Gateway default/a) The credential referenced by the Gateway a in namespace"
                                + " istio-system is invalid, which can cause the traffic not to work as expected."),
                Arguments.of("IST0149", SVC + gw("gw", "istio=ingressgateway", 80, "*") + claimVs(),
                        SVC + gw("gw", "istio=ingressgateway", 80, "*") + claimVs() + "---\napiVersion: security.istio.io/v1\n"
                                + "kind: RequestAuthentication\nmetadata: {namespace: istio-system, name: jwt}\nspec:\n"
                                + "  selector: {matchLabels: {istio: ingressgateway}}\n"
                                + "  jwtRules: [{issuer: \"https://example.com\", jwksUri: \"https://example.com/jwks\"}]\n",
                        "Error [IST0149] (VirtualService default/claims) The virtual service uses the JWT claim based"
                                + " routing (key: @request.auth.claims.group) but found no request authentication for the"
                                + " gateway (default/gw) pod (istio-ingressgateway-dummypod). The request authentication"
                                + " must first be applied for the gateway pods to validate the JWT token and make the"
                                + " claims available for routing."),
                Arguments.of("IST0102", SVC + namespace("shop", ""), SVC + namespace("shop", "istio-injection: enabled"),
                        "Info [IST0102] (Namespace shop) The namespace is not enabled for Istio injection. Run"
                                + " 'kubectl label namespace shop istio-injection=enabled' to enable it, or 'kubectl"
                                + " label namespace shop istio-injection=disabled' to explicitly mark it as not needing"
                                + " injection."),
                Arguments.of("IST0103", SVC + namespace("default", "istio-injection: enabled") + podAnnotated("x.example.com/y"),
                        SVC + namespace("default", "istio-injection: enabled")
                                + podAnnotated("x.example.com/y").replace("{name: app}", "{name: app}, {name: istio-proxy, image: proxyv2}"),
                        "Warning [IST0103] (Pod default/annotated) The pod default/annotated is missing the Istio"
                                + " proxy. This can often be resolved by restarting or redeploying the workload."),
                Arguments.of("IST0123", SVC + namespace("shop", "istio-injection: enabled, istio.io/rev: canary"),
                        SVC + namespace("shop", "istio.io/rev: canary"),
                        "Warning [IST0123] (Namespace shop) The namespace has more than one type of injection labels"
                                + " [istio-injection=enabled istio.io/rev=canary], which may lead to undefined behavior."
                                + " Make sure only one injection label exists."),
                Arguments.of("IST0158", SVC + namespace("default", "istio-injection: enabled") + INJECTOR,
                        SVC.replace("image: proxyv2}", "image: docker.io/istio/proxyv2:1.28.0}")
                                + namespace("default", "istio-injection: enabled") + INJECTOR,
                        "Warning [IST0158] (Namespace default) The Istio proxy images of the pods running in the"
                                + " namespace do not match the image defined in the injection configuration (pod names:"
                                + " [reviews-1]). This often happens after upgrading the Istio control-plane and can be"
                                + " fixed by redeploying the pods."),
                Arguments.of("IST0107", SVC + podAnnotated("kubernetes.io/ingress.class"),
                        SVC + podAnnotated("proxy.istio.io/config"),
                        "Warning [IST0107] (Pod default/annotated) Misplaced annotation: kubernetes.io/ingress.class can"
                                + " only be applied to Ingress"),
                Arguments.of("IST0108", SVC + podAnnotated("sidecar.istio.io/nosuch"), SVC + podAnnotated("sidecar.istio.io/logLevel"),
                        "Warning [IST0108] (Pod default/annotated) Unknown annotation: sidecar.istio.io/nosuch"),
                Arguments.of("IST0109", SVC + vs("reviews", "").replace("name: reviews}", "name: a}") + vs("reviews", ""),
                        SVC + vs("reviews", ""),
                        "Error [IST0109] (VirtualService default/a) The VirtualServices default/a,default/reviews"
                                + " associated with mesh gateway define the same host */reviews.default.svc.cluster.local"
                                + " which can lead to undefined behavior. This can be fixed by merging the conflicting"
                                + " VirtualServices into a single resource."),
                Arguments.of("IST0110", SVC + sidecar("s1", "reviews") + sidecar("s2", "reviews"), SVC + sidecar("s1", "reviews"),
                        "Error [IST0110] (Sidecar default/s1) The Sidecars [s1 s2] in namespace \"default\" select the"
                                + " same workload pod \"reviews-1\", which can lead to undefined behavior."),
                Arguments.of("IST0118", SVC.replace("name: http,", "name: web,"), SVC,
                        "Info [IST0118] (Service default/reviews) Port name web (port: 9080, targetPort: 0) doesn't"
                                + " follow the naming convention of Istio port."),
                Arguments.of("IST0128", SVC + dr("reviews", "SIMPLE"), SVC + dr("reviews", "ISTIO_MUTUAL"),
                        "Warning [IST0128] (DestinationRule default/reviews) DestinationRule default/reviews in namespace"
                                + " default has TLS mode set to SIMPLE but no caCertificates are set to validate server"
                                + " identity for host: reviews"),
                Arguments.of("IST0131", SVC + dupMatch("/a", "/a"), SVC + dupMatch("/a", "/b"),
                        "Info [IST0131] (VirtualService default/dup) VirtualService rule #1 match #0 is not used"
                                + " (duplicate/overlapping match in rule #0)."),
                Arguments.of("IST0132", SVC + gw("gw", "istio=ingressgateway", 80, "other.example.com") + gatewayVs("gw"),
                        SVC + gw("gw", "istio=ingressgateway", 80, "front.example.com") + gatewayVs("gw"),
                        "Warning [IST0132] (VirtualService default/front) one or more host [front.example.com] defined"
                                + " in VirtualService default/front not found in Gateway default/gw."),
                Arguments.of("IST0134", SVC + se(""), SVC + se("addresses: [240.0.0.1]"),
                        "Warning [IST0134] (ServiceEntry default/ext) ServiceEntry addresses are required for this"
                                + " protocol."),
                Arguments.of("IST0145", SVC + gw("a", "istio=ingressgateway", 80, "*") + gw("b", "istio=ingressgateway", 80, "*"),
                        SVC + gw("a", "istio=ingressgateway", 80, "*") + gw("b", "istio=ingressgateway", 443, "*"),
                        "Error [IST0145] (Gateway default/a) Conflict with gateways default/b (workload selector"
                                + " istio=ingressgateway, port 80, hosts *)."),
                Arguments.of("IST0162", SVC + gw("gw", "istio=ingressgateway", 8080, "*"), SVC + gw("gw", "istio=ingressgateway", 80, "*"),
                        "Warning [IST0162] (Gateway default/gw) The gateway is listening on a target port (port 8080)"
                                + " that is not defined in the Service associated with its workload instances (Pod"
                                + " selector istio=ingressgateway). If you need to access the gateway port through the"
                                + " gateway Service, it will not be available."),
                Arguments.of("IST0116", deployment() + svc("a", 8080, "TCP", "") + svc("b", 8080, "UDP", ""),
                        deployment() + svc("a", 8080, "TCP", "") + svc("b", 8081, "UDP", ""),
                        "Warning [IST0116] (Deployment default/reviews-v1) This deployment reviews-v1 is associated"
                                + " with multiple services using port 8080 but different protocols: [default/a default/b]"),
                Arguments.of("IST0137", deployment() + svc("a", 80, "TCP", "8080") + svc("b", 81, "TCP", "8080"),
                        deployment() + svc("a", 80, "TCP", "8080") + svc("b", 81, "TCP", "8081"),
                        "Warning [IST0137] (Deployment default/reviews-v1) This deployment reviews-v1 is associated"
                                + " with multiple services [default/a default/b] using targetPort \"8080\" but different"
                                + " ports: [80 81]."),
                Arguments.of("IST0177", SVC + se("").replace("protocol: TCP", "protocol: HTTP")
                                + se("").replace("name: ext", "name: ext2"),
                        SVC + se("addresses: [240.0.0.1]") + se("addresses: [240.0.0.2]").replace("name: ext", "name: ext2"),
                        "Warning [IST0177] (ServiceEntry default/ext) Multiple ServiceEntries (default/ext,"
                                + " default/ext2) define the same host \"db.example.com\" and port 5432 with conflicting"
                                + " protocols (HTTP, TCP)."),
                Arguments.of("IST0151", SVC + envoyFilter("INSERT_BEFORE", ""),
                        SVC + envoyFilter("INSERT_BEFORE", "  priority: 10\n"),
                        "Warning [IST0151] (EnvoyFilter default/lua) This EnvoyFilter does not have a priority and has"
                                + " a relative patch operation set which can cause the EnvoyFilter not to be applied."
                                + " Using the INSERT_FIRST of ADD option or setting the priority may help in ensuring"
                                + " the EnvoyFilter is applied correctly."),
                Arguments.of("IST0152", SVC + envoyFilter("REPLACE", "").replace("HTTP_FILTER", "LISTENER"),
                        SVC + envoyFilter("REPLACE", ""),
                        "Error [IST0152] (EnvoyFilter default/lua) The REPLACE operation is only valid for HTTP_FILTER"
                                + " and NETWORK_FILTER."),
                Arguments.of("IST0157", SVC + telemetry("logs", "", "accessLogging: [{}]"),
                        SVC + telemetry("logs", "", "accessLogging: [{providers: [{name: envoy}]}]"),
                        "Warning [IST0157] (Telemetry default/logs) The Telemetry logs in namespace \"default\" with"
                                + " empty providers will be ignored."),
                Arguments.of("IST0159", SVC + telemetry("t1", "reviews", "") + telemetry("t2", "reviews", ""),
                        SVC + telemetry("t1", "reviews", "") + telemetry("t2", "ratings", "").replace(
                                "app: ratings", "app: reviews, version: v2"),
                        "Error [IST0159] (Telemetry default/t1) The Telemetries [t1 t2] in namespace \"default\" select"
                                + " the same workload pod \"reviews-1\", which can lead to undefined behavior."),
                Arguments.of("IST0160", SVC + telemetry("t1", "", "") + telemetry("t2", "", ""),
                        SVC + telemetry("t1", "", "") + telemetry("t2", "reviews", ""),
                        "Error [IST0160] (Telemetry default/t1) The Telemetries [t1 t2] in namespace \"default\" have"
                                + " no workload selector, which can lead to undefined behavior."),
                Arguments.of("IST0167", SVC + AMBIENT_NS + sidecarEgress("./*").replace("namespace: default", "namespace: amb"),
                        SVC + sidecarEgress("./*"),
                        "Warning [IST0167] (Sidecar amb/egress) The policy has no impact: namespace is in ambient mode,"
                                + " the policy has no impact."),
                Arguments.of("IST0173", SVC + dr("reviews", "").replace("version: v1", "version: v9"), SVC + dr("reviews", ""),
                        "Error [IST0173] (DestinationRule default/reviews) The Subset v1 defined in the DestinationRule"
                                + " does not select any pods. Which may lead to 503 UH (NoHealthyUpstream)."),
                Arguments.of("IST0174", SVC + dr("ratings", ""), SVC + dr("reviews", ""),
                        "Warning [IST0174] (DestinationRule default/ratings) The host ratings defined in the"
                                + " DestinationRule does not match any services in the mesh."));
    }

    /** IST0002 for tracing through a Lightstep provider, which needs a mesh config that declares one. */
    @Test
    void lightstepTracingIsDeprecated() throws Exception {
        MeshOptions lightstep = MeshOptions.fromMeshConfig("istio-system", KubeObjects.map(
                ManifestReader.standard().read("extensionProviders: [{name: ls, lightstep: {service: ls.example.com,"
                        + " port: 443}}, {name: otel, opentelemetry: {service: otel.example.com, port: 4317}}]\n")
                        .get(0).content()));
        String broken = SVC + telemetry("traces", "", "tracing: [{providers: [{name: ls}]}]");
        String fixed = SVC + telemetry("traces", "", "tracing: [{providers: [{name: otel}]}]");
        assertEquals(List.of("Warning [IST0002] (Telemetry default/traces) Deprecated: The Lightstep provider ls is"
                + " deprecated, please migrate to OpenTelemetry provider."), lines(analyze(broken, lightstep), "IST0002"));
        assertEquals(List.of(), lines(analyze(fixed, lightstep), "IST0002"));
    }

    private static List<String> lines(List<DiagMessage> messages, String code) {
        return messages.stream().filter(m -> m.code().equals(code)).map(DiagMessage::toString).toList();
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("cases")
    void triggersAndFixes(String code, String broken, String fixed, String expected) {
        List<String> lines = analyze(broken).stream().filter(m -> m.code().equals(code)).map(DiagMessage::toString).toList();
        assertEquals(true, lines.contains(expected), "expected " + expected + " in " + lines);
        List<String> after = analyze(fixed).stream().filter(m -> m.code().equals(code)).map(DiagMessage::toString).toList();
        assertEquals(List.of(), after);
    }

    static List<DiagMessage> analyze(String yaml) {
        return analyze(yaml, MeshOptions.DEFAULT);
    }

    static List<DiagMessage> analyze(String yaml, MeshOptions mesh) {
        ManifestInputs inputs = new ManifestInputs("default", ManifestInputs.SchemaStage.NONE);
        inputs.addDefaultIngressGateway("istio-system");
        try {
            for (ManifestDocument doc : ManifestReader.standard().read(yaml)) {
                inputs.add("test.yaml", doc);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return Analyzers.analyze(inputs.input(mesh));
    }

    private static String vs(String host, String subset) {
        String s = subset.isEmpty() ? "" : ", subset: " + subset;
        return "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {namespace: default, name: reviews}\n"
                + "spec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: " + host + s + "}\n";
    }

    private static String gatewayVs(String gateway) {
        return "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {namespace: default, name: front}\n"
                + "spec:\n  hosts: [front.example.com]\n  gateways: [" + gateway + "]\n  http:\n"
                + "  - route:\n    - destination: {host: reviews, subset: v1}\n"
                + "---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {namespace: default, name: reviews-front}\n"
                + "spec:\n  host: reviews\n  subsets: [{name: v1, labels: {version: v1}}]\n";
    }

    private static String dr(String host, String tlsMode) {
        String tls = tlsMode.isEmpty() ? "" : "  trafficPolicy: {tls: {mode: " + tlsMode + "}}\n";
        return "---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {namespace: default, name: " + host + "}\n"
                + "spec:\n  host: " + host + "\n" + tls + "  subsets: [{name: v1, labels: {version: v1}}]\n";
    }

    private static String gw(String name, String selector, int port, String host) {
        String[] kv = selector.split("=");
        return "---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {namespace: default, name: " + name + "}\n"
                + "spec:\n  selector: {" + kv[0] + ": " + kv[1] + "}\n  servers:\n  - port: {number: " + port
                + ", name: http, protocol: HTTP}\n    hosts: [\"" + host + "\"]\n";
    }

    private static String authz(String ns) {
        return "---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {namespace: default, name: allow}\n"
                + "spec:\n  rules:\n  - from:\n    - source: {namespaces: [" + ns + "]}\n";
    }

    private static String sidecar(String name, String app) {
        return "---\napiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {namespace: default, name: " + name + "}\n"
                + "spec:\n  workloadSelector: {labels: {app: " + app + "}}\n  egress: [{hosts: [\"./*\"]}]\n";
    }

    private static String sidecarEgress(String host) {
        return "---\napiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {namespace: default, name: egress}\n"
                + "spec:\n  egress: [{hosts: [\"" + host + "\"]}]\n";
    }

    private static String podAnnotated(String annotation) {
        return "---\napiVersion: v1\nkind: Pod\nmetadata: {name: annotated, namespace: default, annotations: {"
                + annotation + ": \"x\"}}\nspec: {containers: [{name: app}]}\n";
    }

    private static String dupMatch(String first, String second) {
        return "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {namespace: default, name: dup}\n"
                + "spec:\n  hosts: [dup.example.com]\n  http:\n"
                + "  - match: [{uri: {prefix: " + first + "}}]\n    route: [{destination: {host: reviews}}]\n"
                + "  - match: [{uri: {prefix: " + second + "}}]\n    route: [{destination: {host: reviews}}]\n";
    }

    private static String se(String addresses) {
        return "---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {namespace: default, name: ext}\n"
                + "spec:\n  hosts: [db.example.com]\n  " + (addresses.isEmpty() ? "" : addresses + "\n  ")
                + "location: MESH_EXTERNAL\n  resolution: DNS\n  ports: [{number: 5432, name: tcp, protocol: TCP}]\n";
    }

    private static final String AMBIENT_NS = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: amb, labels:"
            + " {istio.io/dataplane-mode: ambient}}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: default}\n";

    private static String envoyFilter(String operation, String priority) {
        return "---\napiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata: {namespace: default, name: lua}\n"
                + "spec:\n" + priority + "  configPatches:\n  - applyTo: HTTP_FILTER\n    match:\n      context: SIDECAR_INBOUND\n"
                + "      listener: {filterChain: {filter: {name: envoy.filters.network.http_connection_manager,"
                + " subFilter: {name: envoy.filters.http.router}}}}\n"
                + "    patch: {operation: " + operation + ", value: {name: envoy.lua}}\n";
    }

    private static String telemetry(String name, String app, String body) {
        String selector = app.isEmpty() ? "" : "  selector: {matchLabels: {app: " + app + "}}\n";
        return "---\napiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata: {namespace: default, name: " + name
                + "}\nspec:\n" + selector + (body.isEmpty() ? "  metrics: [{providers: [{name: prometheus}]}]\n" : "  " + body + "\n");
    }

    /** A Deployment in an injected namespace, as the Service association check needs. */
    private static String deployment() {
        return "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: default, labels: {istio-injection: enabled}}\n"
                + "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {namespace: default, name: reviews-v1}\n"
                + "spec:\n  template:\n    metadata: {labels: {app: reviews}}\n    spec: {containers: [{name: reviews}]}\n";
    }

    private static String svc(String name, int port, String protocol, String targetPort) {
        String target = targetPort.isEmpty() ? "" : ", targetPort: " + targetPort;
        return "---\napiVersion: v1\nkind: Service\nmetadata: {namespace: default, name: " + name + "}\n"
                + "spec:\n  selector: {app: reviews}\n  ports: [{name: tcp-" + port + ", port: " + port + ", protocol: "
                + protocol + target + "}]\n";
    }

    private static String namespace(String name, String labels) {
        return "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: " + name + ", labels: {" + labels + "}}\n";
    }

    private static String tlsGw(String name, String credential) {
        return "---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {namespace: default, name: " + name
                + "}\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n  - port: {number: 443, name: https, protocol:"
                + " HTTPS}\n    hosts: [\"" + name + ".example.com\"]\n    tls: {mode: SIMPLE, credentialName: " + credential + "}\n";
    }

    private static String claimVs() {
        return "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {namespace: default, name: claims}\n"
                + "spec:\n  hosts: [\"*\"]\n  gateways: [gw]\n  http:\n"
                + "  - match: [{headers: {\"@request.auth.claims.group\": {exact: admin}}}]\n"
                + "    route: [{destination: {host: reviews}}]\n";
    }

    private static final String INJECTOR = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: istio-system,"
            + " name: istio-sidecar-injector}\ndata:\n  values: '{\"global\": {\"hub\": \"docker.io/istio\", \"tag\":"
            + " \"1.28.0\", \"proxy\": {\"image\": \"proxyv2\"}}}'\n";
}
