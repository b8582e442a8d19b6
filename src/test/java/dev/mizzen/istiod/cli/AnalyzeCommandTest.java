package dev.mizzen.istiod.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code istiod analyze} with a mesh config file: the mesh's settings change what is reported, as istioctl's. */
class AnalyzeCommandTest {
    private static final String SERVICE_ENTRY = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: db, namespace: default}
            spec:
              hosts: [db.example.com]
              location: MESH_EXTERNAL
              resolution: DNS
              ports: [{number: 5432, name: tcp, protocol: TCP}]
            """;

    @TempDir
    Path dir;

    /** What a run printed and returned. */
    record Run(int exit, List<String> out, List<String> err) {
    }

    @Test
    void aTcpServiceEntryWithoutAddressesIsReportedUnlessTheMeshAllocatesThem() throws IOException {
        Path se = Files.writeString(dir.resolve("se.yaml"), SERVICE_ENTRY);
        Path allocating = Files.writeString(dir.resolve("mesh.yaml"), """
                defaultConfig:
                  proxyMetadata:
                    ISTIO_META_DNS_CAPTURE: "true"
                    ISTIO_META_DNS_AUTO_ALLOCATE: "true"
                """);

        Run plain = run("-f", se.toString());
        Run withMesh = run("-f", se.toString(), "--meshConfigFile", allocating.toString());

        assertThat(plain.out()).containsExactly("Warning [IST0134] (ServiceEntry default/db " + se + ":8) ServiceEntry"
                + " addresses are required for this protocol.");
        assertThat(withMesh.out()).isEmpty();
        assertThat(withMesh.exit()).isZero();
    }

    @Test
    void anUnreadableMeshConfigIsAFileError() throws IOException {
        Path se = Files.writeString(dir.resolve("se.yaml"), SERVICE_ENTRY);

        Run run = run("-f", se.toString(), "--meshConfigFile", dir.resolve("missing.yaml").toString());

        assertThat(run.exit()).isEqualTo(AnalyzeCommand.PARSE_ERROR);
        assertThat(run.err()).singleElement().asString().startsWith("Error: cannot read the mesh config");
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new AnalyzeCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, lines(out), lines(err));
    }

    private static List<String> lines(StringWriter w) {
        String text = w.toString();
        return text.isEmpty() ? List.of() : List.of(text.split("\\R"));
    }
}
