package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.Gateway;
import dev.mizzen.api.networking.Server;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Istio's {@code gateway.SecretAnalyzer}: each {@code credentialName} of a Gateway names a Secret in the namespace
 * of the gateway workload, which is where the gateway reads it, not the Gateway's own namespace (IST0101), and
 * that Secret holds a certificate and key whose certificate is valid now (IST0161). The workload's namespace is
 * that of the first pod, by namespace and name, the selector picks; a Gateway selecting no pod is reported
 * (IST0101 selector) as Istio does.
 */
final class GatewaySecretAnalyzer implements Analyzer {
    private static final Comparator<KubeWorkload> POD_ORDER = Comparator.comparing(KubeWorkload::namespace)
            .thenComparing(KubeWorkload::name);

    private final Clock clock;

    GatewaySecretAnalyzer() {
        this(Clock.systemUTC());
    }

    /** With another clock: certificates are judged at its instant. */
    GatewaySecretAnalyzer(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "gateway.SecretAnalyzer";
    }

    @Override
    public String description() {
        return "Checks a gateway's referenced secrets for correctness";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        List<KubeWorkload> pods = ctx.input().workloads().stream().filter(KubeWorkload::isPod).sorted(POD_ORDER)
                .toList();
        Map<String, KubeSecret> secrets = new HashMap<>();
        for (KubeSecret s : ctx.input().secrets()) {
            secrets.putIfAbsent(s.namespace() + "/" + s.name(), s);
        }
        Instant now = clock.instant();
        for (Config<Gateway> c : Sorted.byName(ctx.list(ConfigKind.GATEWAY))) {
            Gateway gw = c.spec();
            Origin origin = AnalysisContext.origin(c);
            Optional<KubeWorkload> pod = pods.stream().filter(p -> Selectors.matches(gw.selector(), p.podLabels()))
                    .findFirst();
            // Istio takes a pod without a namespace as no pod at all
            if (pod.isEmpty() || pod.get().namespace().isEmpty()) {
                ctx.report(Messages.REFERENCED_RESOURCE_NOT_FOUND.on(origin, "selector", Selectors.text(gw.selector()))
                        .at("spec.selector"));
                continue;
            }
            String namespace = pod.get().namespace();
            for (int i = 0; i < gw.servers().size(); i++) {
                Server server = gw.servers().get(i);
                String credential = server.tls() == null ? null : server.tls().credentialName();
                if (credential == null || credential.isEmpty()) {
                    continue;
                }
                String field = "spec.servers[" + i + "].tls.credentialName";
                // a name with a slash is already namespace/name (Istio's NewShortOrFullName)
                KubeSecret secret = secrets.get(credential.contains("/") ? credential : namespace + "/" + credential);
                if (secret == null) {
                    ctx.report(Messages.REFERENCED_RESOURCE_NOT_FOUND.on(origin, "credentialName", credential).at(field));
                } else if (!secret.usableAt(now)) {
                    ctx.report(Messages.INVALID_GATEWAY_CREDENTIAL.on(origin, c.name(), namespace).at(field));
                }
            }
        }
    }
}
