package dev.mizzen.pilot.security.authz;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.ConfigMeta;
import dev.mizzen.api.security.AuthorizationPolicy;
import dev.mizzen.api.security.Condition;
import dev.mizzen.api.security.Operation;
import dev.mizzen.api.security.Rule;
import dev.mizzen.api.security.RuleFrom;
import dev.mizzen.api.security.RuleTo;
import dev.mizzen.api.security.Source;
import dev.mizzen.api.security.WorkloadSelector;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Not a test: prints how long the pure translation takes for 1,000 AuthorizationPolicies over 1,000
 * workloads (20 namespaces of 50 workloads; per namespace 45 policies selecting one app each, 4 namespace-wide,
 * plus 20 in the root namespace) and how many bytes the filters weigh. Run:
 * <pre>
 * mvn -B -o -q -pl pilot test-compile &amp;&amp; java -cp "pilot/target/test-classes:pilot/target/classes:$(mvn -B -o -q -pl pilot \
 *   dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)" \
 *   dev.mizzen.pilot.security.authz.AuthzBenchmark
 * </pre>
 */
public final class AuthzBenchmark {
    private AuthzBenchmark() {
    }

    public static void main(String[] args) {
        List<Config<AuthorizationPolicy>> policies = policies();
        List<Workload> workloads = new ArrayList<>();
        for (int ns = 0; ns < 20; ns++) {
            for (int w = 0; w < 50; w++) {
                workloads.add(Workload.of("ns-" + ns, Map.of("app", "app-" + w, "version", "v1")));
            }
        }
        AuthzOptions options = AuthzOptions.of(TrustDomainBundle.of("cluster.local", List.of("old-td")),
                ProxyKind.SIDECAR_INBOUND);
        for (int round = 0; round < 6; round++) {
            long t0 = System.nanoTime();
            AuthorizationPolicyIndex index = AuthorizationPolicyIndex.build(policies, "istio-system");
            long t1 = System.nanoTime();
            long bytes = 0;
            long filters = 0;
            long selected = 0;
            for (Workload w : workloads) {
                WorkloadPolicies p = index.forWorkload(w);
                selected += p.allow().size() + p.deny().size() + p.audit().size() + p.custom().size();
                for (var f : HttpRbacFilters.build(p, options).filters()) {
                    bytes += f.getSerializedSize();
                    filters++;
                }
                for (var f : NetworkRbacFilters.build(p, options).filters()) {
                    bytes += f.getSerializedSize();
                    filters++;
                }
            }
            long t2 = System.nanoTime();
            System.out.printf("round %d: %d policies, %d workloads, %d policy selections: index %.1f ms, translation %.1f ms"
                            + " (%.1f us per workload), %d filters, %,d bytes (%,d per workload)%n",
                    round, policies.size(), workloads.size(), selected, (t1 - t0) / 1e6, (t2 - t1) / 1e6,
                    (t2 - t1) / 1e3 / workloads.size(), filters, bytes, bytes / workloads.size());
        }
    }

    static List<Config<AuthorizationPolicy>> policies() {
        List<Config<AuthorizationPolicy>> out = new ArrayList<>();
        int n = 0;
        for (int i = 0; i < 20; i++) {
            out.add(policy("istio-system", "mesh-" + i, null, i % 2 == 0 ? "DENY" : "ALLOW", n++));
        }
        for (int ns = 0; ns < 20; ns++) {
            for (int p = 0; p < 49; p++) {
                WorkloadSelector selector = p < 45 ? new WorkloadSelector(Map.of("app", "app-" + p)) : null;
                out.add(policy("ns-" + ns, "policy-" + p, selector, p % 5 == 0 ? "DENY" : "ALLOW", n++));
            }
        }
        return out.subList(0, 1000);
    }

    static Config<AuthorizationPolicy> policy(String ns, String name, WorkloadSelector selector, String action, int n) {
        Source source = new Source(List.of("cluster.local/ns/" + ns + "/sa/client-" + n, "cluster.local/ns/other/sa/*"),
                List.of(), List.of("https://issuer.example.com/*"), List.of(), List.of("ns-" + (n % 20)), List.of(),
                List.of(), List.of(), List.of(), List.of(), List.of("10.0.0.0/8"), List.of("10.9.0.0/16"), List.of(), List.of());
        Operation op = new Operation(List.of("app.example.com", "*.example.org"), List.of(), List.of("8080"), List.of(),
                List.of("GET", "POST"), List.of(), List.of("/api/*", "/v1/{*}/items", "/health"), List.of("/admin/*"));
        Rule rule = new Rule(List.of(new RuleFrom(source)), List.of(new RuleTo(op)),
                List.of(new Condition("request.headers[x-tenant]", List.of("t-" + n), List.of()),
                        new Condition("request.auth.claims[groups]", List.of("admins", "devs"), List.of())));
        Rule second = new Rule(List.of(), List.of(new RuleTo(new Operation(List.of(), List.of(), List.of("9090"),
                List.of(), List.of(), List.of(), List.of(), List.of()))), List.of());
        return new Config<>(ConfigKey.of(ConfigKind.AUTHORIZATION_POLICY, ns, name),
                new ConfigMeta(Map.of(), Map.of(), Instant.ofEpochSecond(1_000_000 + n), "1", 1),
                new AuthorizationPolicy(selector, null, List.of(), List.of(rule, second), action, null));
    }
}
