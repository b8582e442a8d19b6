package dev.mizzen.pilot.inject;

import dev.mizzen.api.admission.AdmissionRequest;
import dev.mizzen.api.admission.AdmissionResponse;
import tools.jackson.databind.node.ObjectNode;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;

/**
 * Injections per second, single-threaded: the engine alone, and the whole /inject path (JSON tree in,
 * JSONPatch text out). Not a test: run it by hand, e.g. with the test classpath,
 * {@code java -cp ... dev.mizzen.pilot.inject.InjectionBenchmark [seconds]}. {@link InjectionBenchmarkSmokeTest}
 * runs it for a few iterations so it keeps working.
 */
public final class InjectionBenchmark {
    /**
     * What one run measured: pods per second of wall time, and per second of this thread's CPU time (the figure
     * to trust on a busy machine).
     */
    record Figures(double enginePerSecond, double admissionPerSecond, double enginePerCpuSecond,
                   double admissionPerCpuSecond) {
    }

    private record Rate(double perSecond, double perCpuSecond) {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        long nanos = (long) (seconds * 1_000_000_000L);
        run(nanos, nanos / 2);
    }

    /** Warms both paths up (JIT) for {@code warmupNanos}, then measures each for {@code measureNanos}. */
    static Figures run(long measureNanos, long warmupNanos) {
        SidecarInjector injector = new SidecarInjector(InjectionSettings.defaults());
        InjectionAdmission admission = new InjectionAdmission(injector, ns -> Map.of("istio-injection", "enabled"));
        ObjectNode pod = reviewsPod();
        PodRequest request = Fixtures.webhook(pod, Map.of("istio-injection", "enabled"));
        @SuppressWarnings("unchecked")
        Map<String, Object> object = Trees.JSON.convertValue(pod, Map.class);
        AdmissionRequest admissionRequest = new AdmissionRequest("u", "", "v1", "Pod", "bookinfo", "", "CREATE",
                object, null, false, "", List.of());

        rate(warmupNanos, () -> {
            check(injector.inject(request) instanceof InjectionResult.Injected);
            check(admission.admit(admissionRequest).jsonPatch() != null);
        });
        Rate engine = rate(measureNanos, () -> check(injector.inject(request) instanceof InjectionResult.Injected));
        Rate webhook = rate(measureNanos, () -> {
            AdmissionResponse r = admission.admit(admissionRequest);
            check(r.jsonPatch() != null);
        });
        System.out.printf("sidecar injection, 1 thread: engine %.0f pods/s (%.0f per CPU-second), "
                        + "/inject with JSONPatch %.0f pods/s (%.0f per CPU-second)%n",
                engine.perSecond(), engine.perCpuSecond(), webhook.perSecond(), webhook.perCpuSecond());
        return new Figures(engine.perSecond(), webhook.perSecond(), engine.perCpuSecond(), webhook.perCpuSecond());
    }

    private static Rate rate(long nanos, Runnable op) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long n = 0;
        while (System.nanoTime() - start < nanos || n == 0) {
            op.run();
            n++;
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double cpu = Math.max(1, threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        return new Rate(n / wall, n / cpu);
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("injection did not inject");
        }
    }

    /** Bookinfo's reviews pod as the apiserver sends it, with a readiness probe to rewrite. */
    static ObjectNode reviewsPod() {
        return Fixtures.yaml("""
                apiVersion: v1
                kind: Pod
                metadata:
                  generateName: reviews-v1-7d9f8c-
                  namespace: bookinfo
                  labels: {app: reviews, version: v1, pod-template-hash: 7d9f8c}
                  ownerReferences:
                  - {apiVersion: apps/v1, kind: ReplicaSet, name: reviews-v1-7d9f8c, uid: u1, controller: true}
                spec:
                  serviceAccountName: bookinfo-reviews
                  containers:
                  - name: reviews
                    image: docker.io/istio/examples-bookinfo-reviews-v1:1.20.3
                    imagePullPolicy: IfNotPresent
                    env: [{name: LOG_DIR, value: /tmp/logs}]
                    ports: [{containerPort: 9080}]
                    readinessProbe: {httpGet: {path: /health, port: 9080}}
                    volumeMounts: [{name: tmp, mountPath: /tmp}, {name: wlp-output, mountPath: /opt/ibm/wlp/output}]
                  volumes: [{name: wlp-output, emptyDir: {}}, {name: tmp, emptyDir: {}}]
                """);
    }
}
