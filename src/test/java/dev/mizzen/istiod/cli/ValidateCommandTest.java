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
                file + ":1: error: VirtualService/bookinfo/reviews: spec.http[0].route[0].weight: weight -10 is negative; weights must be >= 0",
                file + ":1: error: VirtualService/bookinfo/reviews: spec.http[0].timeout: duration 0.5ms must be at least 1ms",
                file + ":16: error: Gateway/default/bookinfo-gateway: spec.servers[0].tls: server must have TLS settings for HTTPS/TLS protocols",
                file + ":25: warning: DestinationRule/default/ratings: spec.trafficPolicy.outlierDetection.consecutiveErrors: "
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
        assertThat(run.out()).first().asString().isEqualTo("<stdin>:1: error: AuthorizationPolicy/prod/deny-all: spec.rules: "
                + "DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` "
                + "if you want it be triggered for every request");
    }

    @Test
    void aFileThatDoesNotParseExitsTwoWithItsLineAndTheOthersAreStillChecked() throws Exception {
        String broken = resource("broken.yaml");
        String invalid = resource("invalid.yaml");

        Run run = run(new ByteArrayInputStream(new byte[0]), "-f", broken, "-f", invalid);

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).containsExactly(broken + ":7: cannot parse: while parsing a flow sequence; expected ',' or ']', but got :");
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
                file + ":1: error: VirtualMachine/default/vm: unrecognized type networking.istio.io/v1 VirtualMachine",
                file + ":6: error: VirtualService/default/reviews: hosts: unknown field",
                "2 Istio objects in 1 file: 2 errors, 0 warnings");
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
