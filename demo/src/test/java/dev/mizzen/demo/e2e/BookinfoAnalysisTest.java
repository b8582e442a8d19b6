package dev.mizzen.demo.e2e;

import dev.mizzen.istiod.Istiod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code istiod analyze} over Istio's Bookinfo sample (its platform manifest and networking samples, copied from
 * Istio with attribution): the sample as Istio's docs apply it analyzes clean, and each broken variant gives the
 * code Istio's analyzers give it, with Istio's message text.
 */
class BookinfoAnalysisTest {
    private static final Pattern MESSAGE = Pattern.compile("^(Error|Warning|Info) \\[(IST\\d{4})\\] \\(([^)]*)\\) (.*)$");

    @TempDir
    Path tmp;

    @Test
    void bookinfoWithItsRulesIsClean() throws Exception {
        Result r = analyze(bookinfo(), networking("destination-rule-all.yaml"), networking("virtual-service-all-v1.yaml"));
        assertThat(r.messages()).isEmpty();
        assertThat(r.code()).isZero();
        // istioctl names the files it analyzed
        assertThat(r.out()).contains("No validation issues found when analyzing").contains("virtual-service-all-v1.yaml");
        for (String sample : List.of("virtual-service-reviews-jason-v2-v3.yaml", "virtual-service-reviews-80-20.yaml",
                "virtual-service-reviews-v2-v3.yaml", "virtual-service-ratings-test-abort.yaml")) {
            Result one = analyze(bookinfo(), networking("destination-rule-all.yaml"), networking(sample));
            assertThat(one.messages()).as(sample).isEmpty();
            assertThat(one.code()).as(sample).isZero();
        }
    }

    @Test
    void istiosOwnFaultInjectionSampleHasAnUnreachableRule() throws Exception {
        // its second rule can never match: Istio's analyzer says so too (IST0130, a warning)
        Result r = analyze(bookinfo(), networking("destination-rule-all.yaml"), networking("fault-injection-details-v1.yaml"));
        assertThat(r.messages()).extracting(m -> m.level() + " " + m.code() + " " + m.resource() + ": " + m.text())
                .containsExactly("Warning IST0130 VirtualService default/details: VirtualService rule #1 not used "
                        + "(only the last rule can have no matches).");
        assertThat(r.code()).isZero();
    }

    @Test
    void subsetsWithoutTheirDestinationRule() throws Exception {
        Result r = analyze(bookinfo(), networking("virtual-service-all-v1.yaml"));
        assertThat(r.messages()).extracting(m -> m.code() + " " + m.resource() + ": " + m.text())
                .containsExactlyInAnyOrder(
                        "IST0101 VirtualService default/details: Referenced host+subset in destinationrule not found: \"details+v1\"",
                        "IST0101 VirtualService default/productpage: Referenced host+subset in destinationrule not found: \"productpage+v1\"",
                        "IST0101 VirtualService default/ratings: Referenced host+subset in destinationrule not found: \"ratings+v1\"",
                        "IST0101 VirtualService default/reviews: Referenced host+subset in destinationrule not found: \"reviews+v1\"");
        assertThat(r.code()).isEqualTo(79);
    }

    @Test
    void aMistypedDestinationHost() throws Exception {
        Path typo = variant("virtual-service-reviews-v3.yaml", "host: reviews\n", "host: reviewz\n");
        Result r = analyze(bookinfo(), networking("destination-rule-all.yaml"), typo);
        // as Istio's analyzers, the subset is checked on its own too
        assertThat(r.messages()).extracting(m -> m.level() + " " + m.code() + " " + m.text()).containsExactlyInAnyOrder(
                "Error IST0101 Referenced host not found: \"reviewz\"",
                "Error IST0101 Referenced host+subset in destinationrule not found: \"reviewz+v3\"");
        assertThat(r.code()).isEqualTo(79);
    }

    @Test
    void aServicePortNameOutsideIstiosConvention() throws Exception {
        String manifest = Files.readString(bookinfo());
        int details = manifest.indexOf("name: details\n");
        int port = manifest.indexOf("name: http\n", details);
        Path broken = tmp.resolve("bookinfo-port.yaml");
        Files.writeString(broken, manifest.substring(0, port) + "name: web\n" + manifest.substring(port + "name: http\n".length()));
        Result r = analyze(broken, networking("destination-rule-all.yaml"), networking("virtual-service-all-v1.yaml"));
        assertThat(r.messages()).extracting(m -> m.level() + " " + m.code() + " " + m.resource() + ": " + m.text())
                .containsExactly("Info IST0118 Service default/details: Port name web (port: 9080, targetPort: 0) "
                        + "doesn't follow the naming convention of Istio port.");
        // Info is below istioctl's failure threshold (Error)
        assertThat(r.code()).isZero();
    }

    record Message(String level, String code, String resource, String text) {
    }

    record Result(int code, String out, List<Message> messages) {
    }

    private Result analyze(Path... files) {
        List<String> args = new ArrayList<>(List.of("analyze"));
        for (Path f : files) {
            args.add("-f");
            args.add(f.toString());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Istiod.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args.toArray(String[]::new));
        List<Message> messages = new ArrayList<>();
        for (String line : (out + "\n" + err).lines().toList()) {
            Matcher m = MESSAGE.matcher(line);
            if (m.matches()) {
                // the resource is "Kind ns/name" and, when read from a file, its file and line
                String[] resource = m.group(3).split(" ");
                messages.add(new Message(m.group(1), m.group(2), resource[0] + " " + resource[1], m.group(4)));
            }
        }
        return new Result(code, out.toString() + err, messages);
    }

    private Path variant(String sample, String from, String to) throws Exception {
        String yaml = Files.readString(networking(sample));
        assertThat(yaml).contains(from);
        Path out = tmp.resolve("broken-" + sample);
        Files.writeString(out, yaml.replace(from, to));
        return out;
    }

    private static Path bookinfo() throws URISyntaxException {
        return Path.of(BookinfoAnalysisTest.class.getResource("/bookinfo/platform/kube/bookinfo.yaml").toURI());
    }

    private static Path networking(String name) throws URISyntaxException {
        return Path.of(BookinfoAnalysisTest.class.getResource("/istio/bookinfo/networking/" + name).toURI());
    }
}
