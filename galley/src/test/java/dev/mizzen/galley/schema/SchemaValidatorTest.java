package dev.mizzen.galley.schema;

import dev.mizzen.galley.manifest.ManifestDocument;
import dev.mizzen.galley.manifest.ManifestReader;
import dev.mizzen.galley.validation.Finding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaValidatorTest {
    static List<Finding> findings(String yaml) throws Exception {
        ManifestDocument doc = ManifestReader.standard().read(yaml).get(0);
        KindSchema kind = CrdSchemas.shipped().find(doc.apiVersion(), doc.kind()).orElseThrow();
        return SchemaValidator.validate(kind, doc.content()).findings();
    }

    static List<String> lines(String yaml) throws Exception {
        return findings(yaml).stream().map(Finding::toString).toList();
    }

    private static final String VS = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
            """;

    @Test
    void unknownFieldsAreNamedWithWhatWasMeant() throws Exception {
        assertThat(lines(VS + """
                  http:
                  - route:
                    - destination: {host: reviews}
                      weigth: 100
                """)).containsExactly("spec.http[0].route[0].weigth: unknown field \"weigth\"; did you mean \"weight\"?");
        assertThat(lines(VS + """
                  gateway: [mesh]
                  http:
                  - match:
                    - uri: {exakt: /x}
                    route:
                    - destination: {host: reviews}
                """)).containsExactly(
                "spec.gateway: unknown field \"gateway\"; did you mean \"gateways\"?",
                "spec.http[0].match[0].uri.exakt: unknown field \"exakt\"; did you mean \"exact\"?");
        assertThat(lines("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: r, nmae: x}
                hosts: [reviews]
                spec: {}
                """)).containsExactly(
                "metadata.nmae: unknown field \"nmae\"; did you mean \"name\"?",
                "hosts: unknown field \"hosts\"");
    }

    @Test
    void typesAreTheSchemas() throws Exception {
        assertThat(lines(VS + """
                  http:
                  - route:
                    - destination: {host: reviews}
                      weight: "1"
                    timeout: 5
                """)).containsExactly(
                "spec.http[0].route[0].weight: must be of type integer, not string \"1\"",
                "spec.http[0].timeout: must be of type string, not integer 5");
        assertThat(lines(VS + "  http: {route: []}\n"))
                .containsExactly("spec.http: must be of type array, not object");
        assertThat(lines("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: r, labels: {version: 1}}
                spec: {hosts: [r]}
                """)).containsExactly("metadata.labels[version]: must be of type string, not integer 1; quote the value");
    }

    @Test
    void enumsRequiredBoundsPatternsAndOneOf() throws Exception {
        assertThat(lines("""
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: p}
                spec: {mtls: {mode: STRCT}}
                """)).containsExactly("spec.mtls.mode: unsupported value \"STRCT\"; supported values: \"UNSET\", "
                + "\"DISABLE\", \"PERMISSIVE\", \"STRICT\"; did you mean \"STRICT\"?");
        assertThat(lines("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: s}
                spec:
                  ports: [{number: 80, name: http}]
                """)).containsExactly("spec.hosts: required field is missing");
        assertThat(lines(VS + """
                  http:
                  - match: [{uri: {exact: /a, prefix: /b}}]
                    route: [{destination: {host: r, port: {number: -1}}}]
                """)).containsExactly(
                "spec.http[0].match[0].uri: only one of \"exact\", \"prefix\" and \"regex\" may be set, found \"exact\" and \"prefix\"",
                "spec.http[0].route[0].destination.port.number: must be greater than or equal to 0");
        assertThat(lines("""
                apiVersion: extensions.istio.io/v1alpha1
                kind: WasmPlugin
                metadata: {name: w}
                spec: {url: "http://x", sha256: abc}
                """)).containsExactly("spec.sha256: must match the regular expression \"(^$|^[a-f0-9]{64}$)\"");
    }

    @Test
    void intOrStringAndPreservedUnknownFields() throws Exception {
        assertThat(lines("""
                apiVersion: networking.istio.io/v1alpha3
                kind: EnvoyFilter
                metadata: {name: e}
                spec:
                  configPatches:
                  - applyTo: CLUSTER
                    patch:
                      operation: ADD
                      value: {name: c, any: {deep: [1, true, x]}}
                """)).isEmpty();
        String dr = """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: d}
                spec: {host: r}
                status:
                  observedGeneration: %s
                  anything: {goes: [1]}
                """;
        assertThat(lines(dr.formatted("3"))).isEmpty();
        assertThat(lines(dr.formatted("\"3\""))).isEmpty();
        assertThat(lines(dr.formatted("true"))).containsExactly(
                "status.observedGeneration: must be of type integer or string, not boolean true");
    }

    /** One rule of each kind's CRD that refuses an object, with the rule's own message. */
    static Stream<Arguments> celRejections() {
        return Stream.of(
                Arguments.of("""
                        apiVersion: networking.istio.io/v1
                        kind: VirtualService
                        metadata: {name: v}
                        spec: {hosts: [r], http: [{corsPolicy: {maxAge: 0s}}]}
                        """, "spec.http[0].corsPolicy.maxAge: must be a valid duration greater than 1ms"),
                Arguments.of("""
                        apiVersion: networking.istio.io/v1
                        kind: DestinationRule
                        metadata: {name: d}
                        spec: {host: r, workloadSelector: {matchLabels: {"app*": x}}}
                        """, "spec.workloadSelector.matchLabels: wildcard not allowed in label key match"),
                Arguments.of("""
                        apiVersion: networking.istio.io/v1
                        kind: Gateway
                        metadata: {name: g}
                        spec:
                          servers:
                          - port: {number: 443, name: https, protocol: HTTPS}
                            hosts: ["*"]
                            tls: {mode: SIMPLE, credentialName: a, credentialNames: [b]}
                        """, "spec.servers[0].tls: only one of credentialName or credentialNames can be set"),
                Arguments.of("""
                        apiVersion: networking.istio.io/v1
                        kind: ServiceEntry
                        metadata: {name: s}
                        spec: {hosts: ["*"]}
                        """, "spec.hosts[0]: hostname cannot be wildcard"),
                Arguments.of("""
                        apiVersion: networking.istio.io/v1
                        kind: WorkloadEntry
                        metadata: {name: w}
                        spec: {address: "unix:///dir/"}
                        """, "spec.address: UDS may not be a dir"),
                Arguments.of("""
                        apiVersion: networking.istio.io/v1
                        kind: WorkloadGroup
                        metadata: {name: w}
                        spec: {template: {}, probe: {httpGet: {port: 80, scheme: FTP}}}
                        """, "spec.probe.httpGet.scheme: scheme must be one of [HTTP, HTTPS]"),
                Arguments.of("""
                        apiVersion: networking.istio.io/v1
                        kind: Sidecar
                        metadata: {name: s}
                        spec: {workloadSelector: {labels: {app: "*"}}}
                        """, "spec.workloadSelector.labels[app]: wildcard is not supported in selector"),
                Arguments.of("""
                        apiVersion: networking.istio.io/v1alpha3
                        kind: EnvoyFilter
                        metadata: {name: e}
                        spec: {configPatches: [{applyTo: CLUSTER, match: {context: WAYPOINT, waypoint: {portNumber: 0}}}]}
                        """, "spec.configPatches[0].match.waypoint.portNumber: port must be between 1-65535"),
                Arguments.of("""
                        apiVersion: networking.istio.io/v1beta1
                        kind: ProxyConfig
                        metadata: {name: p}
                        spec: {selector: {matchLabels: {app: "a*"}}}
                        """, "spec.selector.matchLabels[app]: wildcard not allowed in label value match"),
                Arguments.of("""
                        apiVersion: security.istio.io/v1
                        kind: PeerAuthentication
                        metadata: {name: p}
                        spec: {selector: {matchLabels: {app: a}}, portLevelMtls: {"70000": {mode: STRICT}}}
                        """, "spec.portLevelMtls: port must be between 1-65535"),
                Arguments.of("""
                        apiVersion: security.istio.io/v1
                        kind: AuthorizationPolicy
                        metadata: {name: a}
                        spec: {selector: {matchLabels: {app: a}}, targetRef: {kind: Gateway, group: gateway.networking.k8s.io, name: g}}
                        """, "spec: only one of targetRefs or selector can be set"),
                Arguments.of("""
                        apiVersion: security.istio.io/v1
                        kind: RequestAuthentication
                        metadata: {name: r}
                        spec: {jwtRules: [{issuer: i, jwksUri: "https://a/k", jwks: "{}"}]}
                        """, "spec.jwtRules[0]: only one of jwks or jwksUri can be set"),
                Arguments.of("""
                        apiVersion: telemetry.istio.io/v1
                        kind: Telemetry
                        metadata: {name: t}
                        spec: {metrics: [{reportingInterval: 0.5ms}]}
                        """, "spec.metrics[0].reportingInterval: must be a valid duration greater than 1ms"),
                Arguments.of("""
                        apiVersion: extensions.istio.io/v1alpha1
                        kind: WasmPlugin
                        metadata: {name: w}
                        spec: {url: "ftp://example.com/x.wasm"}
                        """, "spec.url: url must have schema one of [http, https, file, oci]"),
                Arguments.of("""
                        apiVersion: extensions.istio.io/v1alpha1
                        kind: TrafficExtension
                        metadata: {name: t}
                        spec: {}
                        """, "spec: exactly one of wasm or lua must be set"));
    }

    @ParameterizedTest
    @MethodSource("celRejections")
    void aCelRuleOfEachKindRejects(String yaml, String expected) throws Exception {
        assertThat(lines(yaml)).contains(expected);
    }

    @Test
    void everyShippedKindHasARejectionCase() {
        List<String> covered = celRejections().map(a -> ((String) a.get()[0]).lines()
                .filter(l -> l.startsWith("kind: ")).findFirst().orElseThrow().substring(6)).toList();
        assertThat(covered).containsExactlyInAnyOrderElementsOf(CrdSchemas.shipped().all().stream()
                .map(KindSchema::kind).distinct().toList());
    }
}
