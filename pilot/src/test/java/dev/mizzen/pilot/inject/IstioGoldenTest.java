package dev.mizzen.pilot.inject;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Istio's own injection test table ({@link IstioCases}: every case of its TestInjection, with its settings), run
 * through our kube-inject and compared with Istio's golden files as YAML trees.
 * <p>
 * Each case is either equal, a known difference ({@link #DIFFERENT}, listed in the README with its reason: the
 * test checks that it still differs, so the list cannot go stale), or not expressible in our settings
 * ({@link #NOT_EXPRESSIBLE}, skipped). {@link #mostOfIstiosCasesAreEqual} counts them.
 * <p>
 * Differences on purpose, removed from both sides before comparing ({@link #normalised}): Istio's kube-inject
 * re-serializes every workload through its Go type, which writes the fields without omitempty
 * ({@code resources: {}}, {@code strategy: {}}, {@code status: {replicas: 0}}, {@code creationTimestamp: null},
 * a List's {@code metadata: {}}, a DeploymentConfig's {@code test: false}) and drops zero values with omitempty
 * ({@code minReadySeconds: 0}). We work on the untyped tree and keep the user's objects as written. So empty
 * container resources, status, null creation timestamps, an empty top-level metadata and, in the workload's
 * spec outside its pod template, zero numbers, false and empty objects are dropped on both sides.
 */
class IstioGoldenTest {
    private static final String OPENSHIFT = "OpenShift platform (istiod's PLATFORM=openshift): the proxy runs as the"
            + " top of the UID and supplemental-group ranges in the namespace's openshift.io/sa.scc annotations;"
            + " our /inject is given namespace labels only, and no platform setting";

    /** Cases our settings cannot express, with why. Keyed by {@link IstioCases.Case#toString()}. */
    static final Map<String, String> NOT_EXPRESSIBLE = Map.of(
            "hello-openshift.yaml -> hello-openshift.yaml.injected (OpenShift, pilot: {cni: {enabled: true}}, webhook only)",
            OPENSHIFT,
            "hello-openshift-custom-injection.yaml -> hello-openshift-custom-injection.yaml.injected (OpenShift, pilot:"
                    + " {cni: {enabled: true}}, webhook only)", OPENSHIFT,
            "hello.yaml -> hello-fips-140-3.yaml.injected (compliance policy fips-140-3)",
            "istiod's COMPLIANCE_POLICY environment (fips-140-3: COMPLIANCE_POLICY and GODEBUG=fips140=only on the"
                    + " proxy) is not a setting of ours");

    private static final String CRONJOB = "Istio's kube-inject writes the pod's injected labels and annotations onto"
            + " the CronJob's jobTemplate metadata (the Job's), so the pods lack them (status, metrics, canonical"
            + " labels); ours puts them on the pod template";

    /** Cases that differ from Istio's golden, with why. Keyed by {@link IstioCases.Case#toString()}. */
    static final Map<String, String> DIFFERENT = Map.of(
            "cronjob.yaml -> cronjob.yaml.injected", CRONJOB,
            "cronjob.yaml -> cronjob-old-version.yaml.injected (native sidecars disabled)", CRONJOB,
            "sidecar-spire.yaml -> sidecar-spire.yaml.injected (IstioOperator spire-template.iop.yaml)",
            "with native sidecars, Istio's example spire template adds a second istio-proxy (no image) under"
                    + " containers beside the native one in initContainers, a pod Kubernetes refuses; we refuse"
                    + " the injection instead");

    static Stream<IstioCases.Case> cases() {
        return IstioCases.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesIstiosGolden(IstioCases.Case c) {
        Assumptions.assumeFalse(NOT_EXPRESSIBLE.containsKey(c.toString()), () -> NOT_EXPRESSIBLE.get(c.toString()));

        List<String> differences = differences(c);

        if (DIFFERENT.containsKey(c.toString())) {
            assertThat(differences).as("known difference (%s) no longer differs: take it off the list",
                    DIFFERENT.get(c.toString())).isNotEmpty();
        } else {
            assertThat(differences).as("differences from Istio's %s", c.name()).isEmpty();
        }
    }

    @Test
    void mostOfIstiosCasesAreEqual() {
        List<IstioCases.Case> all = IstioCases.all();
        int expressible = 0;
        int equal = 0;
        StringBuilder report = new StringBuilder();
        for (IstioCases.Case c : all) {
            if (NOT_EXPRESSIBLE.containsKey(c.toString())) {
                report.append("  not expressible: ").append(c).append(": ").append(NOT_EXPRESSIBLE.get(c.toString()))
                        .append('\n');
                continue;
            }
            expressible++;
            List<String> d;
            try {
                d = differences(c);
            } catch (RuntimeException e) {
                d = List.of("the comparison failed: " + e);
            }
            if (d.isEmpty()) {
                equal++;
            } else {
                report.append("  different: ").append(c).append(" (").append(d.size()).append("): ")
                        .append(d.get(0)).append('\n');
                d.stream().skip(1).limit(Integer.getInteger("golden.details", 0))
                        .forEach(x -> report.append("      ").append(x).append('\n'));
            }
        }
        System.out.printf("Istio's injection cases: %d of %d expressible are equal (%d cases in all)%n%s",
                equal, expressible, all.size(), report);
        assertThat(all).hasSizeGreaterThanOrEqualTo(128);
        assertThat(equal).as("equal cases of %d expressible:%n%s", expressible, report).isGreaterThanOrEqualTo(95);
    }

    @Test
    void theComparisonNoticesWrongSettings() {
        String ours = KubeInject.inject(Fixtures.istio("hello.yaml"), base());

        List<String> differences = TreeDiff.of(normalised(Fixtures.istio("hello-tproxy.yaml.injected")).get(0),
                normalised(ours).get(0));

        assertThat(differences).anyMatch(d -> d.contains("expected \"TPROXY\" but was \"REDIRECT\""));
    }

    static InjectionSettings base() {
        return InjectionSettings.defaults().withValues(IstioCases.BASE_VALUES);
    }

    /** Where our output differs from Istio's golden; for an error case, whether we fail as Istio does. */
    static List<String> differences(IstioCases.Case c) {
        InjectionSettings settings = c.settings().apply(base());
        String input = Fixtures.istio(c.in());
        if (!c.expectedError().isEmpty()) {
            try {
                KubeInject.inject(input, settings);
                return List.of("expected an error containing '" + c.expectedError() + "' but got none");
            } catch (KubeInjectException e) {
                return e.getMessage().toLowerCase().contains(c.expectedError())
                        ? List.of() : List.of("expected an error containing '" + c.expectedError() + "' but got: "
                        + e.getMessage());
            }
        }
        String ours;
        try {
            ours = c.path() == IstioCases.Via.WEBHOOK ? Webhook.inject(input, settings)
                    : KubeInject.inject(input, settings);
        } catch (RuntimeException e) {
            return List.of("injection failed: " + e.getMessage());
        }
        List<JsonNode> actual = normalised(ours);
        List<JsonNode> expected = normalised(Fixtures.istio(c.want()));
        if (actual.size() != expected.size()) {
            return List.of("expected " + expected.size() + " documents but got " + actual.size());
        }
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            differences.addAll(TreeDiff.of(expected.get(i), actual.get(i)));
        }
        return differences;
    }

    static List<JsonNode> normalised(String yaml) {
        List<JsonNode> docs = Fixtures.documents(yaml);
        for (JsonNode doc : docs) {
            normaliseWorkload(doc);
            normalise(doc);
        }
        return docs;
    }

    private static void normaliseWorkload(JsonNode doc) {
        if (!(doc instanceof ObjectNode o)) {
            return;
        }
        o.remove("status");
        dropIfEmpty(o, "metadata");
        if (o.get("spec") instanceof ObjectNode spec && !o.path("kind").asString("").equals("Pod")) {
            dropZeros(spec);
        }
        JsonNode items = o.get("items");
        if (items != null && items.isArray()) {
            items.forEach(IstioGoldenTest::normaliseWorkload);
        }
    }

    /** Zero numbers, false and (then) empty objects, outside pod templates. */
    private static void dropZeros(ObjectNode node) {
        for (String field : List.copyOf(node.propertyNames())) {
            if (field.equals("template") || field.equals("jobTemplate")) {
                continue;
            }
            JsonNode v = node.get(field);
            if (v instanceof ObjectNode child) {
                dropZeros(child);
            }
            if ((v.isNumber() && v.asDouble() == 0) || (v.isBoolean() && !v.asBoolean()) || (v.isObject() && v.isEmpty())) {
                node.remove(field);
            }
        }
    }

    /** The empty {@code resources} of containers and null creation timestamps dropped. */
    private static void normalise(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.has("creationTimestamp") && o.get("creationTimestamp").isNull()) {
                o.remove("creationTimestamp");
            }
            for (String list : List.of("containers", "initContainers")) {
                JsonNode containers = o.get(list);
                if (containers != null && containers.isArray()) {
                    containers.forEach(c -> dropIfEmpty(c, "resources"));
                }
            }
            o.forEach(IstioGoldenTest::normalise);
        } else if (node != null && node.isArray()) {
            node.forEach(IstioGoldenTest::normalise);
        }
    }

    private static void dropIfEmpty(JsonNode node, String field) {
        if (node instanceof ObjectNode o && o.get(field) != null && o.get(field).isObject() && o.get(field).isEmpty()) {
            o.remove(field);
        }
    }
}
