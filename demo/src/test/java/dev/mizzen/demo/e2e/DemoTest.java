package dev.mizzen.demo.e2e;

import dev.mizzen.demo.DemoCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's demo, run as a user runs it: it exits 0 and its tables show each sample taking effect. */
class DemoTest {
    @Test
    void theDemoShowsEachSampleSteeringTheCalls() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            exit = new CommandLine(new DemoCommand()).execute("--calls", "20");
        } finally {
            System.setOut(original);
        }
        String output = buffer.toString(StandardCharsets.UTF_8);
        System.out.print(output);

        assertThat(exit).isZero();
        List<String> steps = List.of(output.split("\\n\\s*\\n"));
        String allV1 = steps.stream().filter(s -> s.contains("virtual-service-all-v1.yaml")).findFirst().orElseThrow();
        assertThat(row(allV1, "reviews:9080 ")).containsExactly("reviews:9080", "20", "20", "-", "-", "-");
        String jason = steps.stream().filter(s -> s.contains("jason-v2-v3.yaml")).findFirst().orElseThrow();
        assertThat(row(jason, "reviews:9080 end-user")).containsExactly("reviews:9080", "end-user:", "jason", "20", "-", "20", "-", "-");
        assertThat(row(jason, "reviews:9080 ")).containsExactly("reviews:9080", "20", "-", "-", "20", "-");
        String v3 = steps.stream().filter(s -> s.contains("virtual-service-reviews-v3.yaml")).findFirst().orElseThrow();
        assertThat(row(v3, "reviews:9080 end-user")).containsExactly("reviews:9080", "end-user:", "jason", "20", "-", "-", "20", "-");
        assertThat(output).contains("demo finished");
    }

    private static List<String> row(String table, String prefix) {
        return table.lines().map(String::trim).filter(l -> l.startsWith(prefix.trim())
                        && (prefix.endsWith(" ") ? !l.contains("end-user") : true))
                .findFirst().map(l -> List.of(l.split("\\s+"))).orElseThrow();
    }
}
