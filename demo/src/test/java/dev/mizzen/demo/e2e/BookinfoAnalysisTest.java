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

    /**
     * destination-rule-all.yaml names subsets for versions bookinfo.yaml does not deploy (details v2, ratings v2,
     * v2-mysql, v2-mysql-vm: other manifests of the sample add them). Istio's analyzer reports each of those too
     * (IST0173, an error; from files holding no Pods it even reports every subset, as it reads Pods only).
     */
    private static final List<String> UNDEPLOYED_SUBSETS = List.of(
            "Error IST0173 DestinationRule default/details: The Subset v2 defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).",
            "Error IST0173 DestinationRule default/ratings: The Subset v2 defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).",
            "Error IST0173 DestinationRule default/ratings: The Subset v2-mysql defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).",
            "Error IST0173 DestinationRule default/ratings: The Subset v2-mysql-vm defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).");

    @Test
    void bookinfoWithItsRulesIsCleanButForTheSubsetsItDoesNotDeploy() throws Exception {
        Result r = analyze(bookinfo(), networking("destination-rule-all.yaml"), networking("virtual-service-all-v1.yaml"));
        assertThat(r.messages()).extracting(BookinfoAnalysisTest::line).containsExactlyInAnyOrderElementsOf(UNDEPLOYED_SUBSETS);
        assertThat(r.code()).isEqualTo(79);
        for (String sample : List.of("virtual-service-reviews-jason-v2-v3.yaml", "virtual-service-reviews-80-20.yaml",
                "virtual-service-reviews-v2-v3.yaml", "virtual-service-ratings-test-abort.yaml")) {
            Result one = analyze(bookinfo(), networking("destination-rule-all.yaml"), networking(sample));
            assertThat(one.messages()).as(sample).extracting(BookinfoAnalysisTest::line)
                    .containsExactlyInAnyOrderElementsOf(UNDEPLOYED_SUBSETS);
        }
    }

    @Test
    void bookinfoWithRulesForWhatItDeploysIsClean() throws Exception {
        Result r = analyze(bookinfo(), networking("virtual-service-all-v1.yaml"), withoutUndeployedSubsets());
        assertThat(r.messages()).isEmpty();
        assertThat(r.code()).isZero();
        // istioctl names the files it analyzed
        assertThat(r.out()).contains("No validation issues found when analyzing").contains("virtual-service-all-v1.yaml");
    }

    private static String line(Message m) {
        return m.level() + " " + m.code() + " " + m.resource() + ": " + m.text();
    }

    /** destination-rule-all.yaml without the subsets of versions bookinfo.yaml does not deploy. */
    private Path withoutUndeployedSubsets() throws Exception {
        String rules = Files.readString(networking("destination-rule-all.yaml"));
        String kept = rules.replaceAll("(?m)^  - name: v2-mysql(-vm)?\n    labels:\n      version: v2-mysql(-vm)?\n", "");
        int details = kept.indexOf("name: details\n");
        int v2 = kept.indexOf("  - name: v2\n", details);
        kept = kept.substring(0, v2) + kept.substring(v2 + "  - name: v2\n    labels:\n      version: v2\n".length());
        int ratings = kept.indexOf("name: ratings\n");
        v2 = kept.indexOf("  - name: v2\n", ratings);
        kept = kept.substring(0, v2) + kept.substring(v2 + "  - name: v2\n    labels:\n      version: v2\n".length());
        Path out = tmp.resolve("destination-rule-deployed.yaml");
        Files.writeString(out, kept);
        return out;
    }

    @Test
    void istiosOwnFaultInjectionSampleHasAnUnreachableRule() throws Exception {
        // its second rule can never match: Istio's analyzer says so too (IST0130, a warning)
        Result r = analyze(bookinfo(), networking("destination-rule-all.yaml"), networking("fault-injection-details-v1.yaml"));
        List<String> expected = new ArrayList<>(UNDEPLOYED_SUBSETS);
        expected.add("Warning IST0130 VirtualService default/details: VirtualService rule #1 not used "
                + "(only the last rule can have no matches).");
        assertThat(r.messages()).extracting(BookinfoAnalysisTest::line).containsExactlyInAnyOrderElementsOf(expected);
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
        assertThat(r.messages()).extracting(m -> m.level() + " " + m.code() + " " + m.text())
                .filteredOn(m -> !m.contains("IST0173")).containsExactlyInAnyOrder(
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
        Result r = analyze(broken, networking("virtual-service-all-v1.yaml"), withoutUndeployedSubsets());
        assertThat(r.messages()).extracting(BookinfoAnalysisTest::line)
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
