package dev.mizzen.pilot.security.authz;

import dev.mizzen.api.config.Config;
import dev.mizzen.pilot.security.SecurityFixtures;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our HTTP RBAC filters against Istio's own builder test data ({@code pilot/pkg/security/authz/builder/testdata/
 * http}, copied to {@code security/istio-builder/}, see its SOURCES.txt), compared as JSON trees. Before the
 * comparison both sides are normalised, only in ways that do not change what Envoy enforces:
 * <ul>
 * <li>{@code googleRe2: {}}: a deprecated field Envoy ignores (older Istio wrote it).</li>
 * <li>The deprecated header matchers {@code exactMatch}/{@code prefixMatch}/{@code suffixMatch} become the
 * {@code stringMatch} Istio writes today.</li>
 * <li>{@code shadowRulesStatPrefix}: a stat name; older Istio wrote {@code istio_dry_run_} even without shadow
 * rules, current Istio a prefix per action only with shadow rules.</li>
 * </ul>
 * Not normalised, so counted as differences: what only Istio's own proxy build understands
 * ({@code metadata} of its {@code istio_authn} filter, {@code filter_state} {@code io.istio.peer_principal}), which
 * older Istio wrote where current Istio, and we, use {@code authenticated} and the jwt_authn payload.
 */
class IstioBuilderTestdataTest {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final TrustDomainBundle NONE = new TrustDomainBundle(List.of());
    private static final Workload HTTPBIN = Workload.of("foo", Map.of("app", "httpbin", "version", "v1"));

    record Case(String name, TrustDomainBundle bundle, List<String> outputs) {
    }

    static final List<Case> CASES = List.of(
            new Case("allow-empty-rule", NONE, List.of("allow-empty-rule-out.yaml")),
            new Case("allow-nil-rule", NONE, List.of("allow-nil-rule-out.yaml")),
            new Case("deny-empty-rule", NONE, List.of("deny-empty-rule-out.yaml")),
            new Case("dry-run-allow", NONE, List.of("dry-run-allow-out.yaml")),
            new Case("dry-run-mix", NONE, List.of("dry-run-mix-out.yaml")),
            new Case("dry-run-allow-and-deny", NONE, List.of("dry-run-allow-and-deny-out1.yaml", "dry-run-allow-and-deny-out2.yaml")),
            new Case("simple-policy-multiple-td-aliases", TrustDomainBundle.of("td1", List.of("cluster.local", "some-td")),
                    List.of("simple-policy-multiple-td-aliases-out.yaml")),
            new Case("simple-policy-principal-with-wildcard", TrustDomainBundle.of("td1", List.of("foobar")),
                    List.of("simple-policy-principal-with-wildcard-out.yaml")),
            new Case("multiple-policies", NONE, List.of("multiple-policies-out.yaml")),
            new Case("td-aliases-source-principal", TrustDomainBundle.of("new-td", List.of("old-td", "some-trustdomain")),
                    List.of("td-aliases-source-principal-out.yaml")),
            new Case("deny-and-allow", NONE, List.of("deny-and-allow-out1.yaml", "deny-and-allow-out2.yaml")));

    /** The cases whose expected output uses Istio-proxy-only matchers (see the class comment). */
    static final List<String> ISTIO_PROXY_SPECIFIC = List.of("multiple-policies", "td-aliases-source-principal", "deny-and-allow");

    @Test
    void ourRbacEqualsIstiosExpectedOutput() {
        Map<String, String> differences = new LinkedHashMap<>();
        for (Case c : CASES) {
            String diff = compare(c);
            if (diff != null) {
                differences.put(c.name, diff);
            }
        }
        int matched = CASES.size() - differences.size();
        System.out.printf("Istio builder testdata: %d/%d cases equal%n", matched, CASES.size());
        differences.forEach((k, v) -> System.out.printf("  %s differs: %s%n", k, v));
        assertThat(differences.keySet()).as("cases differing from Istio's expected output: %s", differences)
                .containsExactlyInAnyOrderElementsOf(ISTIO_PROXY_SPECIFIC);
        differences.values().forEach(v -> assertThat(v).containsAnyOf("istio_authn", "filter_state"));
    }

    private static String compare(Case c) {
        List<Config<?>> configs = SecurityFixtures.load("security/istio-builder/" + c.name + "-in.yaml");
        WorkloadPolicies policies = AuthorizationPolicyIndex.build(SecurityFixtures.authorizationPolicies(configs),
                "istio-system").forWorkload(HTTPBIN);
        List<HttpFilter> filters = HttpRbacFilters.build(policies,
                AuthzOptions.of(c.bundle, ProxyKind.SIDECAR_INBOUND)).filters();
        if (filters.size() != c.outputs.size()) {
            return filters.size() + " filters, Istio has " + c.outputs.size();
        }
        for (int i = 0; i < filters.size(); i++) {
            JsonNode ours = normalise(JSON.readTree(SecurityGoldenTest.print(filters.get(i))));
            JsonNode theirs = normalise(YAML.readTree(resource("security/istio-builder/" + c.outputs.get(i))));
            if (!ours.equals(theirs)) {
                return "filter " + i + ": ours " + ours + " Istio's " + theirs;
            }
        }
        return null;
    }

    static JsonNode normalise(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.remove("googleRe2");
            o.remove("shadowRulesStatPrefix");
            for (String deprecated : List.of("exactMatch", "prefixMatch", "suffixMatch")) {
                JsonNode v = o.remove(deprecated);
                if (v != null) {
                    o.set("stringMatch", JSON.createObjectNode().set(deprecated.replace("Match", ""), v));
                }
            }
            List<String> names = new ArrayList<>(o.propertyNames());
            names.forEach(n -> o.set(n, normalise(o.get(n))));
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, normalise(a.get(i)));
            }
        }
        return node;
    }

    private static String resource(String path) {
        try (InputStream in = IstioBuilderTestdataTest.class.getClassLoader().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
