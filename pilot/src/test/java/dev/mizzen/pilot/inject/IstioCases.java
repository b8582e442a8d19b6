package dev.mizzen.pilot.inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The cases of Istio's TestInjection (pkg/kube/inject/inject_test.go, at the commit in
 * inject/istio/SOURCES.txt), each with the settings Istio's test gives it, written as our settings: the explicit
 * list first, in Istio's order, then every other {@code X.yaml} of the folder with {@code X.yaml.injected} and
 * the default settings, as Istio's test adds them.
 * <p>
 * How Istio's settings map to ours: {@code values.X} flags are values overlays ({@code components.cni.enabled}
 * is the chart's {@code pilot.cni.enabled}, {@code values.cni.provider} its {@code pilot.cni.provider});
 * mesh functions are mesh config overlays; {@code NativeSidecarModeDisabled} is {@link SidecarLayout#CLASSIC};
 * an IstioOperator file is its {@code spec.values} (templates written in Go in it are ported to Pebble in
 * {@code inject/istio-pebble/}); the values Istio's test renders from its chart (hub, tag) are
 * {@link #BASE_VALUES}.
 */
final class IstioCases {
    /** What Istio's test chart renders that differs from our shipped defaults: the test image hub and tag. */
    static final String BASE_VALUES = "global: {hub: registry.istio.io/testing, tag: latest}";

    enum Via { KUBE_INJECT, WEBHOOK }

    /**
     * One case.
     *
     * @param in            input file
     * @param want          golden file, or "" for an error case
     * @param settingsName  what the settings are, for the report
     * @param settings      our settings for it
     * @param path          kube-inject, or (Istio's skipInjection cases) the webhook only
     * @param expectedError for error cases, what the message must contain (lower case)
     */
    record Case(String in, String want, String settingsName, UnaryOperator<InjectionSettings> settings, Via path,
                String expectedError) {
        String name() {
            return want.isEmpty() ? in : want;
        }

        @Override
        public String toString() {
            return in + " -> " + (want.isEmpty() ? "error '" + expectedError + "'" : want)
                    + (settingsName.isEmpty() ? "" : " (" + settingsName + ")");
        }
    }

    private IstioCases() {
    }

    private static Case c(String in, String want) {
        return new Case(in, want, "", s -> s, Via.KUBE_INJECT, "");
    }

    private static Case values(String in, String want, String yaml) {
        return new Case(in, want, "values " + yaml, s -> s.withValues(yaml), Via.KUBE_INJECT, "");
    }

    private static Case mesh(String in, String want, String yaml) {
        return new Case(in, want, "mesh " + yaml, s -> s.withMeshConfig(yaml), Via.KUBE_INJECT, "");
    }

    private static Case classic(String in, String want) {
        return new Case(in, want, "native sidecars disabled", s -> s.withLayout(SidecarLayout.CLASSIC),
                Via.KUBE_INJECT, "");
    }

    private static Case iop(String in, String want, String iopFile) {
        return new Case(in, want, "IstioOperator " + iopFile, s -> Iop.apply(s, iopFile), Via.KUBE_INJECT, "");
    }

    private static Case error(String in, String expected) {
        return new Case(in, "", "", s -> s, Via.KUBE_INJECT, expected);
    }

    private static final String STATUS_PARAMS = "global: {proxy: {statusPort: 123, readinessInitialDelaySeconds: 100,"
            + " readinessPeriodSeconds: 200, readinessFailureThreshold: 300}}";
    private static final String MULTUS = "pilot: {cni: {enabled: true, provider: multus}}";
    private static final String HOLD = "global: {proxy: {holdApplicationUntilProxyStarts: true}}";
    private static final String CNI = "pilot: {cni: {enabled: true}}";
    private static final String TPROXY = "defaultConfig: {interceptionMode: TPROXY}";

    /** Istio's explicit cases, in its order. */
    static List<Case> explicit() {
        List<Case> out = new ArrayList<>(List.of(
                values("hello.yaml", "hello.yaml.cni.injected",
                        "pilot: {cni: {enabled: true, provider: default}}\nglobal: {network: network1}"),
                values("hello.yaml", "hello.yaml.proxyImageName.injected", "global: {proxy: {image: proxyTest}}"),
                values("hello.yaml", "hello.yaml.proxyInitImageName.injected",
                        "global: {proxy_init: {image: proxyInitTest}}"),
                mesh("hello.yaml", "hello-tproxy.yaml.injected", TPROXY),
                values("hello.yaml", "hello-always.yaml.injected", "global: {imagePullPolicy: Always}"),
                values("hello.yaml", "hello-never.yaml.injected", "global: {imagePullPolicy: Never}"),
                classic("hello.yaml", "hello-old-version.yaml.injected"),
                mesh("format-duration.yaml", "format-duration.yaml.injected", "defaultConfig: {drainDuration: 23s}"),
                values("traffic-params.yaml", "traffic-params.yaml.injected", "global: {proxy: {"
                        + "includeIPRanges: '127.0.0.1/24,10.96.0.1/24', excludeIPRanges: '10.96.0.2/24,10.96.0.3/24',"
                        + " excludeInboundPorts: '4,5,6', statusPort: 0}}"),
                values("status_params.yaml", "status_params.yaml.injected", STATUS_PARAMS),
                values("kubevirtInterfaces.yaml", "kubevirtInterfaces.yaml.injected", STATUS_PARAMS),
                values("reroute-virtual-interfaces.yaml", "reroute-virtual-interfaces.yaml.injected", STATUS_PARAMS),
                iop("hello.yaml", "hello-image-secrets-in-values.yaml.injected", "hello-image-secrets-in-values.iop.yaml"),
                iop("hello-image-pull-secret.yaml", "hello-multiple-image-secrets.yaml.injected",
                        "hello-image-secrets-in-values.iop.yaml"),
                iop("hello.yaml", "hello-template-in-values.yaml.injected", "hello-template-in-values.iop.yaml"),
                values("hello.yaml", "hello-mount-mtls-certs.yaml.injected", "global: {mountMtlsCerts: true}"),
                values("hello.yaml", "hello-cncf-networks.yaml.injected", MULTUS),
                values("hello-existing-cncf-networks.yaml", "hello-existing-cncf-networks.yaml.injected", MULTUS),
                values("hello-existing-cncf-networks-json.yaml", "hello-existing-cncf-networks-json.yaml.injected",
                        MULTUS),
                values("hello.yaml", "hello.proxyHoldsApplication.yaml.injected", HOLD),
                values("hello-probes.yaml", "hello-probes.proxyHoldsApplication.yaml.injected", HOLD),
                c("hello-probes-proxyHoldApplication-ProxyConfig.yaml",
                        "hello-probes-proxyHoldApplication-ProxyConfig.yaml.injected"),
                values("hello-probes-noProxyHoldApplication-ProxyConfig.yaml",
                        "hello-probes-noProxyHoldApplication-ProxyConfig.yaml.injected", HOLD),
                c("hello-service.yaml", "hello-service.yaml.injected"),
                c("cronjob.yaml", "cronjob.yaml.injected"),
                classic("cronjob.yaml", "cronjob-old-version.yaml.injected"),
                classic("daemonset.yaml", "daemonset-old-version.yaml.injected"),
                classic("job.yaml", "job-old-version.yaml.injected"),
                classic("pod.yaml", "pod-old-version.yaml.injected"),
                classic("replicaset.yaml", "replicaset-old-version.yaml.injected"),
                classic("statefulset.yaml", "statefulset-old-version.yaml.injected"),
                error("traffic-annotations-bad-includeipranges.yaml", "includeipranges"),
                error("traffic-annotations-bad-excludeipranges.yaml", "excludeipranges"),
                error("traffic-annotations-bad-includeinboundports.yaml", "includeinboundports"),
                error("traffic-annotations-bad-excludeinboundports.yaml", "excludeinboundports"),
                error("traffic-annotations-bad-excludeoutboundports.yaml", "excludeoutboundports"),
                mesh("traffic-annotations.yaml", "traffic-annotations.yaml.injected",
                        "defaultConfig: {proxyMetadata: {ISTIO_META_TLS_CLIENT_KEY: /etc/identity/client/keys/client-key.pem}}"),
                c("proxy-override.yaml", "proxy-override.yaml.injected"),
                c("explicit-security-context.yaml", "explicit-security-context.yaml.injected"),
                c("only-proxy-container.yaml", "only-proxy-container.yaml.injected"),
                c("proxy-override-args.yaml", "proxy-override-args.yaml.injected"),
                c("proxy-override-runas.yaml", "proxy-override-runas.yaml.injected"),
                values("proxy-override-runas.yaml", "proxy-override-runas.yaml.cni.injected", CNI),
                mesh("proxy-override-runas.yaml", "proxy-override-runas.yaml.tproxy.injected", TPROXY),
                c("proxy-override-args.yaml", "proxy-override-args-native.yaml.injected"),
                c("gateway.yaml", "gateway.yaml.injected"),
                c("gateway.yaml", "gateway.yaml.injected"),
                c("native-sidecar.yaml", "native-sidecar.yaml.injected"),
                classic("native-sidecar.yaml", "native-sidecar-old-version.yaml.injected"),
                c("native-sidecar-opt-in.yaml", "native-sidecar-opt-in.yaml.injected"),
                classic("native-sidecar-opt-in.yaml", "native-sidecar-opt-in.yaml.injected"),
                c("native-sidecar-opt-out.yaml", "native-sidecar-opt-out.yaml.injected"),
                classic("native-sidecar-opt-out.yaml", "native-sidecar-opt-out.yaml.injected"),
                iop("custom-template.yaml", "custom-template.yaml.injected", "custom-template.iop.yaml"),
                c("tcp-probes.yaml", "tcp-probes.yaml.injected"),
                c("hello-host-network-with-ns.yaml", "hello-host-network-with-ns.yaml.injected"),
                values("merge-probers.yaml", "merge-probers.yaml.injected", HOLD),
                mesh("hello-tracing-disabled.yaml", "hello-tracing-disabled.yaml.injected", "defaultConfig: {tracing: {}}"),
                c("truncate-canonical-name-pod.yaml", "truncate-canonical-name-pod.yaml.injected"),
                c("truncate-canonical-name-custom-controller-pod.yaml",
                        "truncate-canonical-name-custom-controller-pod.yaml.injected"),
                openShift("hello-openshift.yaml", "hello-openshift.yaml.injected"),
                openShift("hello-openshift-custom-injection.yaml", "hello-openshift-custom-injection.yaml.injected"),
                openShift("hello-openshift-tproxy.yaml", "hello-openshift-tproxy.yaml.injected"),
                mesh("hello-probes-localhost.yaml", "hello-probes-localhost.yaml.injected",
                        "inboundTrafficPolicy: {mode: LOCALHOST}"),
                iop("proxy-resources-null.yaml", "proxy-resources-null.yaml.injected", "proxy-resources-null.iop.yaml"),
                iop("proxy-resources-null-no-init.yaml", "proxy-resources-null-no-init.yaml.injected",
                        "proxy-resources-null.iop.yaml"),
                iop("proxy-resources-zero.yaml", "proxy-resources-zero.yaml.injected", "proxy-resources-zero.iop.yaml"),
                iop("proxy-resources-memory-null.yaml", "proxy-resources-memory-null.yaml.injected",
                        "proxy-resources-memory-null.iop.yaml"),
                iop("proxy-resources-mixed-null.yaml", "proxy-resources-mixed-null.yaml.injected",
                        "proxy-resources-mixed-null.iop.yaml"),
                iop("sidecar-spire.yaml", "sidecar-spire.yaml.injected", "spire-template.iop.yaml"),
                iop("gateway-spire.yaml", "gateway-spire.yaml.injected", "spire-template.iop.yaml"),
                mesh("hello-otel-semconv.yaml", "hello-otel-semconv.yaml.injected", """
                        extensionProviders:
                        - name: otel
                          opentelemetry:
                            service: otel-collector.observability.svc.cluster.local
                            port: 4317
                            serviceAttributeEnrichment: OTEL_SEMANTIC_CONVENTIONS
                        """),
                new Case("hello.yaml", "hello-fips-140-3.yaml.injected", "compliance policy fips-140-3",
                        s -> s, Via.KUBE_INJECT, "")));
        return out;
    }

    private static Case openShift(String in, String want) {
        return new Case(in, want, "OpenShift, " + CNI + ", webhook only", s -> s.withValues(CNI), Via.WEBHOOK, "");
    }

    /** Every case Istio's TestInjection runs: the explicit ones, then the folder's other inputs with defaults. */
    static List<Case> all() {
        List<Case> out = explicit();
        Set<String> tested = new HashSet<>();
        out.forEach(c -> tested.add(c.want().isEmpty() ? c.in() + ".injected" : c.want()));
        for (String f : files()) {
            if (f.endsWith(".iop.yaml") || !f.endsWith(".yaml") || tested.contains(f + ".injected")) {
                continue;
            }
            out.add(c(f, f + ".injected"));
        }
        return out;
    }

    /** The file names of inject/istio/, sorted as Go's os.ReadDir sorts them. */
    static List<String> files() {
        URL url = IstioCases.class.getClassLoader().getResource("inject/istio/hello.yaml");
        try (Stream<Path> s = Files.list(Path.of(url.toURI()).getParent())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
