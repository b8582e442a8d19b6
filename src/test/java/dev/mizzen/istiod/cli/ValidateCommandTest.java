package dev.mizzen.istiod.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mizzen.istiod.Istiod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code istiod validate}: its output lines and exit codes. */
class ValidateCommandTest {
    @TempDir
    Path dir;

    /** What a run printed and returned. */
    record Run(int exit, List<String> out, List<String> err) {
    }

    @Test
    void isASubcommandOfIstiod() {
        assertThat(new CommandLine(new Istiod()).getSubcommands()).containsKey("validate");
    }

    @Test
    void validFilesExitZeroAndSkipKubernetesKinds() throws Exception {
        Run run = run(new ByteArrayInputStream(new byte[0]), "-f", resource("bookinfo-mixed.yaml"));

        assertThat(run.exit()).isZero();
        assertThat(run.out()).containsExactly("2 Istio objects in 1 file: 0 errors, 0 warnings");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void errorsExitOneWithOneLinePerFinding() throws Exception {
        String file = resource("invalid.yaml");

        Run run = run(new ByteArrayInputStream(new byte[0]), "-f", file);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).containsExactly(
                file + ":11:7: error: VirtualService/bookinfo/reviews: spec.http[0].route[0].weight: weight -10 is negative; weights must be >= 0",
                // the CRD's CEL rule says it first; Istio's rule on the same field is not repeated
                file + ":14:5: error: VirtualService/bookinfo/reviews: spec.http[0].timeout: must be a valid duration greater than 1ms",
                file + ":22:5: error: Gateway/default/bookinfo-gateway: spec.servers[0].tls: server must have TLS settings for HTTPS/TLS protocols",
                file + ":32:24: warning: DestinationRule/default/ratings: spec.trafficPolicy.outlierDetection.consecutiveErrors: "
                        + "outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead",
                "3 Istio objects in 1 file: 3 errors, 1 warning");
    }

    @Test
    void standardInputIsReadForADash() {
        String yaml = """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: deny-all, namespace: prod}
                spec: {action: DENY}
                """;

        Run run = run(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "-f", "-");

        assertThat(run.exit()).isEqualTo(1);
        // spec.rules is missing: the position is its parent's, spec
        assertThat(run.out()).first().asString().isEqualTo("<stdin>:4:1: error: AuthorizationPolicy/prod/deny-all: spec.rules: "
                + "DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` "
                + "if you want it be triggered for every request");
    }

    @Test
    void aFileThatDoesNotParseExitsTwoWithItsLineAndTheOthersAreStillChecked() throws Exception {
        String broken = resource("broken.yaml");
        String invalid = resource("invalid.yaml");

        Run run = run(new ByteArrayInputStream(new byte[0]), "-f", broken, "-f", invalid);

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).containsExactly(broken + ":7:7: cannot parse: while parsing a flow sequence; expected ',' or ']', but got :");
        assertThat(run.out()).hasSize(5).last().isEqualTo("3 Istio objects in 2 files: 3 errors, 1 warning");
    }

    @Test
    void aMissingFileExitsTwo() {
        Path missing = dir.resolve("nope.yaml");

        Run run = run(new ByteArrayInputStream(new byte[0]), "-f", missing.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).singleElement().asString().startsWith(missing + ": cannot read: ");
    }

    @Test
    void anUnknownIstioKindAndAnUnknownTopLevelFieldAreErrors() throws Exception {
        Path file = Files.writeString(dir.resolve("odd.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: VirtualMachine
                metadata: {name: vm}
                spec: {}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                hosts: [reviews]
                spec: {hosts: [reviews], http: [{route: [{destination: {host: reviews}}]}]}
                """);

        Run run = run(new ByteArrayInputStream(new byte[0]), "-f", file.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).containsExactly(
                file + ":1:1: error: VirtualMachine/default/vm: unrecognized type networking.istio.io/v1 VirtualMachine",
                file + ":9:1: error: VirtualService/default/reviews: hosts: unknown field \"hosts\"",
                "2 Istio objects in 1 file: 2 errors, 0 warnings");
    }

    @Test
    void typosAndWrongTypesAreNamedWhereTheyAre() throws Exception {
        Path file = Files.writeString(dir.resolve("typos.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  gateway: [mesh]
                  http:
                  - match:
                    - uri: {exakt: /x}
                    route:
                    - destination: {host: reviews, subset: v1}
                      weigth: 100
                    - destination: {host: reviews, subset: v2}
                      weight: "1"
                """);

        Run run = run(new ByteArrayInputStream(new byte[0]), "-f", file.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains(
                file + ":6:3: error: VirtualService/default/reviews: spec.gateway: unknown field \"gateway\"; did you mean \"gateways\"?",
                file + ":9:13: error: VirtualService/default/reviews: spec.http[0].match[0].uri.exakt: unknown field \"exakt\"; did you mean \"exact\"?",
                file + ":12:7: error: VirtualService/default/reviews: spec.http[0].route[0].weigth: unknown field \"weigth\"; did you mean \"weight\"?",
                file + ":14:7: error: VirtualService/default/reviews: spec.http[0].route[1].weight: must be of type integer, not string \"1\"");
        assertThat(run.out()).last().isEqualTo("1 Istio object in 1 file: 4 errors, 1 warning");

        Run webhookOnly = run(new ByteArrayInputStream(new byte[0]), "--no-schema", "-f", file.toString());
        assertThat(webhookOnly.exit()).as("Istio's rules alone do not see unknown fields").isZero();
    }

    @Test
    void anchorsAndAliasesStandForTheirValuesAndMergeKeysHideNothing() throws Exception {
        Path file = Files.writeString(dir.resolve("anchors.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: &h reviews.prod.svc.cluster.local, subset: v1}
                      weight: &w 50
                    - destination: {host: *h, subset: v2}
                      weight: *w
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: ratings}
                spec:
                  host: ratings
                  subsets:
                  - &base
                    name: v1
                    labels: {version: v1}
                    trafficPolicy: {connectionPool: {tcp: {maxConnections: -5}}}
                  - <<: *base
                    name: v2
                """);

        Run run = run(new ByteArrayInputStream(new byte[0]), "-f", file.toString());

        assertThat(run.out()).containsExactly(
                file + ":22:44: error: DestinationRule/default/ratings: spec.subsets[0].trafficPolicy.connectionPool.tcp.maxConnections: "
                        + "max connections must be non-negative",
                file + ":22:44: error: DestinationRule/default/ratings: spec.subsets[1].trafficPolicy.connectionPool.tcp.maxConnections: "
                        + "max connections must be non-negative",
                "2 Istio objects in 1 file: 2 errors, 0 warnings");
    }

    @Test
    void duplicateKeysNotUtf8AndDeepNestingAreRefusedWithTheirPosition() throws Exception {
        Path duplicate = Files.writeString(dir.resolve("dup.yaml"), "kind: Gateway\nspec:\n  selector: {}\n  selector: {}\n");
        Path latin1 = Files.write(dir.resolve("latin1.yaml"), "kind: Gateway\nmetadata:\n  name: caf\u00e9\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        Path deep = Files.writeString(dir.resolve("deep.yaml"), "kind: Gateway\nspec:\n  x: " + "[".repeat(150)
                + "]".repeat(150) + "\n");

        Run run = run(new ByteArrayInputStream(new byte[0]), "-f", duplicate.toString(), "-f", latin1.toString(),
                "-f", deep.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).containsExactly(
                duplicate + ":4:3: cannot parse: duplicate key \"selector\"",
                latin1 + ":3:12: cannot parse: not UTF-8: invalid byte 0xE9 (save the file as UTF-8)",
                deep + ":3:" + (4 + 100) + ": cannot parse: nested deeper than 100 levels");
    }

    @Test
    void directoriesAreReadAndRecursivelyWithR() throws Exception {
        Path top = Files.createDirectories(dir.resolve("config"));
        Path sub = Files.createDirectories(top.resolve("team"));
        Files.writeString(top.resolve("a.yaml"), """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default}
                spec: {mtls: {mode: STRICT}}
                """);
        Files.writeString(top.resolve("notes.txt"), "not a manifest");
        Files.writeString(sub.resolve("b.json"), """
                {"apiVersion": "security.istio.io/v1", "kind": "PeerAuthentication",
                 "metadata": {"name": "b"}, "spec": {"mtls": {"mode": "STRCT"}}}
                """);

        Run flat = run(new ByteArrayInputStream(new byte[0]), "-f", top.toString());
        Run recursive = run(new ByteArrayInputStream(new byte[0]), "-R", "-f", top.toString());

        assertThat(flat.exit()).isZero();
        assertThat(flat.out()).containsExactly("1 Istio object in 1 file: 0 errors, 0 warnings");
        assertThat(recursive.exit()).isEqualTo(1);
        assertThat(recursive.out()).containsExactly(
                sub.resolve("b.json") + ":2:47: error: PeerAuthentication/default/b: spec.mtls.mode: unsupported value \"STRCT\"; "
                        + "supported values: \"UNSET\", \"DISABLE\", \"PERMISSIVE\", \"STRICT\"; did you mean \"STRICT\"?",
                "2 Istio objects in 2 files: 1 error, 0 warnings");
    }

    @Test
    void theCrdSchemaRulesAddToIstiosOwnRules() throws Exception {
        Path file = Files.writeString(dir.resolve("envoyfilter.yaml"), """
                apiVersion: networking.istio.io/v1alpha3
                kind: EnvoyFilter
                metadata: {name: ef}
                spec:
                  configPatches:
                  - applyTo: HTTP_FILTER
                    match: {context: SIDECAR_INBOUND, waypoint: {}}
                """);

        Run run = run(new ByteArrayInputStream(new byte[0]), "-f", file.toString());

        // Istio's EnvoyFilter rules (its warning, the missing patch), then the CRD's own x-kubernetes-validations
        assertThat(run.out()).containsExactly(
                file + ":4:1: warning: EnvoyFilter/default/ef: spec: EnvoyFilter exposes internal implementation details"
                        + " that may change at any time. Prefer other APIs if possible, and exercise extreme caution,"
                        + " especially around upgrades.",
                file + ":6:5: error: EnvoyFilter/default/ef: spec.configPatches[0].patch: Envoy filter: missing patch",
                file + ":7:5: error: EnvoyFilter/default/ef: spec.configPatches[0].match: only support waypointMatch when context is WAYPOINT",
                "1 Istio object in 1 file: 2 errors, 1 warning");
    }

    @Test
    void aFileIsRequired() {
        Run run = run(new ByteArrayInputStream(new byte[0]));

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).first().asString().contains("Missing required option");
    }

    private static Run run(InputStream stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ValidateCommand(stdin));
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, lines(out), lines(err));
    }

    private static List<String> lines(StringWriter w) {
        String text = w.toString();
        return text.isEmpty() ? List.of() : List.of(text.split("\\R"));
    }

    private static String resource(String name) throws URISyntaxException, IOException {
        return Path.of(ValidateCommandTest.class.getClassLoader().getResource("validate/" + name).toURI()).toString();
    }
}
