package dev.mizzen.galley.bench;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.ConfigMeta;
import dev.mizzen.api.config.ConfigSnapshot;
import dev.mizzen.api.networking.Destination;
import dev.mizzen.api.networking.DestinationRule;
import dev.mizzen.api.networking.HttpRoute;
import dev.mizzen.api.networking.HttpRouteDestination;
import dev.mizzen.api.networking.Subset;
import dev.mizzen.api.networking.VirtualService;
import dev.mizzen.galley.analysis.AnalysisInput;
import dev.mizzen.galley.analysis.Analyzers;
import dev.mizzen.galley.analysis.DiagMessage;
import dev.mizzen.galley.analysis.KubeNamespace;
import dev.mizzen.galley.analysis.KubeService;
import dev.mizzen.galley.analysis.KubeServicePort;
import dev.mizzen.galley.analysis.KubeWorkload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Time of one full analysis (every analyzer) of a mesh of N services in 10 namespaces, each with a pod, a
 * VirtualService splitting it across two subsets and a DestinationRule defining them. A plain main, not a timed
 * test. Run it from the repository root with
 * <pre>
 * mvn -q -o -pl galley test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
 * java -cp galley/target/test-classes:galley/target/classes:$(cat galley/target/cp.txt) \
 *     dev.mizzen.galley.bench.AnalysisBenchmark [services=1000] [rounds=20]
 * </pre>
 * It prints the median and the worst of the measured rounds after as many warm-up rounds.
 */
public final class AnalysisBenchmark {
    private AnalysisBenchmark() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        AnalysisInput input = mesh(n);
        int messages = 0;
        for (int i = 0; i < rounds; i++) {
            messages = Analyzers.analyze(input).size();
        }
        long[] times = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            List<DiagMessage> out = Analyzers.analyze(input);
            times[i] = System.nanoTime() - start;
            messages = out.size();
        }
        java.util.Arrays.sort(times);
        System.out.printf("analysis of %d services, %d VirtualServices, %d DestinationRules, %d pods: median %.1f ms,"
                        + " worst %.1f ms, %d messages (%d cores)%n", n, n, n, n, times[rounds / 2] / 1e6,
                times[rounds - 1] / 1e6, messages, Runtime.getRuntime().availableProcessors());
    }

    static AnalysisInput mesh(int n) {
        List<Config<?>> configs = new ArrayList<>();
        List<KubeService> services = new ArrayList<>();
        List<KubeWorkload> pods = new ArrayList<>();
        List<KubeNamespace> namespaces = new ArrayList<>();
        for (int ns = 0; ns < 10; ns++) {
            namespaces.add(new KubeNamespace("ns" + ns, Map.of("istio-injection", "enabled"), Map.of()));
        }
        for (int i = 0; i < n; i++) {
            String ns = "ns" + (i % 10);
            String name = "svc" + i;
            services.add(new KubeService(ns, name, Map.of(), Map.of(), Map.of("app", name), "ClusterIP",
                    List.of(new KubeServicePort("http", 8080, "TCP", "8080", ""))));
            pods.add(new KubeWorkload("Pod", ns, name + "-1", Map.of("app", name, "version", "v1"), Map.of(),
                    Map.of("app", name, "version", "v1"), Map.of(), List.of(name, "istio-proxy"), List.of(), "proxyv2",
                    KubeWorkload.PodNetwork.POD));
            VirtualService vs = new VirtualService(List.of(name), List.of(), List.of(new HttpRoute(null, List.of(),
                    List.of(new HttpRouteDestination(new Destination(name, "v1", null), 90, null),
                            new HttpRouteDestination(new Destination(name, "v2", null), 10, null)),
                    null, null, null, null, null, null, null, null, List.of(), null, null, null, null)), List.of(), List.of(),
                    List.of());
            DestinationRule dr = new DestinationRule(name, null, List.of(new Subset("v1", Map.of("version", "v1"), null),
                    new Subset("v2", Map.of("version", "v2"), null)), List.of(), null);
            configs.add(new Config<>(ConfigKey.of(ConfigKind.VIRTUAL_SERVICE, ns, name), ConfigMeta.empty(), vs));
            configs.add(new Config<>(ConfigKey.of(ConfigKind.DESTINATION_RULE, ns, name), ConfigMeta.empty(), dr));
        }
        return AnalysisInput.of(ConfigSnapshot.of(configs), services, pods, namespaces);
    }
}
