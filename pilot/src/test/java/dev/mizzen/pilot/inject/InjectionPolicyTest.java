package dev.mizzen.pilot.inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The policy table: who gets a sidecar, for the webhook and for kube-inject. */
class InjectionPolicyTest {
    private static final InjectionSettings DEFAULTS = InjectionSettings.defaults();
    private static final SidecarInjector INJECTOR = new SidecarInjector(DEFAULTS);

    private static final Map<String, String> NS_ENABLED = Map.of("istio-injection", "enabled");
    private static final Map<String, String> NS_DISABLED = Map.of("istio-injection", "disabled");
    private static final Map<String, String> NS_REV_DEFAULT = Map.of("istio.io/rev", "default");
    private static final Map<String, String> NS_REV_CANARY = Map.of("istio.io/rev", "canary");
    private static final Map<String, String> NS_NONE = Map.of();

    record Row(String name, String podLabels, String podAnnotations, Map<String, String> nsLabels, String namespace,
               boolean hostNetwork, InjectionSettings settings, InjectionTrigger trigger, boolean injected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Row webhook(String name, String labels, String annotations, Map<String, String> ns, boolean injected) {
        return new Row(name, labels, annotations, ns, "shop", false, DEFAULTS, InjectionTrigger.WEBHOOK, injected);
    }

    static Stream<Row> table() {
        InjectionSettings canary = DEFAULTS.withRevision("canary");
        InjectionSettings disabled = DEFAULTS.withInjectConfig("policy: disabled");
        InjectionSettings never = DEFAULTS.withInjectConfig("neverInjectSelector: [{matchLabels: {batch: 'yes'}}]");
        InjectionSettings always = disabled.withInjectConfig(
                "alwaysInjectSelector: [{matchExpressions: [{key: tier, operator: In, values: [web]}]}]");
        InjectionSettings byDefault = DEFAULTS.withValues("sidecarInjectorWebhook: {enableNamespacesByDefault: true}");
        return Stream.of(
                webhook("namespace istio-injection=enabled", "{}", "{}", NS_ENABLED, true),
                webhook("namespace without labels", "{}", "{}", NS_NONE, false),
                webhook("namespace istio-injection=disabled", "{}", "{}", NS_DISABLED, false),
                webhook("namespace disabled, pod label true", "{sidecar.istio.io/inject: 'true'}", "{}", NS_DISABLED, false),
                webhook("pod label true, plain namespace", "{sidecar.istio.io/inject: 'true'}", "{}", NS_NONE, true),
                webhook("pod label false wins over namespace", "{sidecar.istio.io/inject: 'false'}", "{}", NS_ENABLED, false),
                webhook("pod annotation false wins over namespace", "{}", "{sidecar.istio.io/inject: 'false'}", NS_ENABLED, false),
                webhook("label wins over annotation", "{sidecar.istio.io/inject: 'true'}", "{sidecar.istio.io/inject: 'false'}", NS_ENABLED, true),
                webhook("pod label 'no' is an opt-out", "{sidecar.istio.io/inject: 'no'}", "{}", NS_ENABLED, false),
                webhook("pod label 'yes' is an opt-in", "{sidecar.istio.io/inject: 'yes'}", "{}", NS_NONE, true),
                webhook("namespace istio.io/rev=default", "{}", "{}", NS_REV_DEFAULT, true),
                webhook("namespace istio.io/rev=canary, default injector", "{}", "{}", NS_REV_CANARY, false),
                new Row("namespace istio.io/rev=canary, canary injector", "{}", "{}", NS_REV_CANARY, "shop", false,
                        canary, InjectionTrigger.WEBHOOK, true),
                new Row("istio-injection=enabled is the default revision's", "{}", "{}", NS_ENABLED, "shop", false,
                        canary, InjectionTrigger.WEBHOOK, false),
                webhook("pod label istio.io/rev=default", "{istio.io/rev: default}", "{}", NS_NONE, true),
                webhook("pod label istio.io/rev=canary", "{istio.io/rev: canary}", "{}", NS_NONE, false),
                webhook("already injected: injected again", "{}", "{sidecar.istio.io/status: '{}'}", NS_ENABLED, true),
                new Row("host network", "{}", "{}", NS_ENABLED, "shop", true, DEFAULTS, InjectionTrigger.WEBHOOK, false),
                new Row("kube-system", "{sidecar.istio.io/inject: 'true'}", "{}", NS_ENABLED, "kube-system", false,
                        DEFAULTS, InjectionTrigger.WEBHOOK, false),
                new Row("kube-public", "{}", "{}", NS_ENABLED, "kube-public", false, DEFAULTS, InjectionTrigger.WEBHOOK, false),
                new Row("kube-node-lease", "{}", "{}", NS_ENABLED, "kube-node-lease", false, DEFAULTS,
                        InjectionTrigger.WEBHOOK, false),
                new Row("istio-system is not a system namespace for Istio (gateways are injected there)", "{}", "{}",
                        NS_ENABLED, "istio-system", false, DEFAULTS, InjectionTrigger.WEBHOOK, true),
                new Row("policy disabled, namespace enabled", "{}", "{}", NS_ENABLED, "shop", false, disabled,
                        InjectionTrigger.WEBHOOK, false),
                new Row("policy disabled, pod opts in", "{sidecar.istio.io/inject: 'true'}", "{}", NS_ENABLED, "shop",
                        false, disabled, InjectionTrigger.WEBHOOK, true),
                new Row("neverInjectSelector", "{batch: 'yes'}", "{}", NS_ENABLED, "shop", false, never,
                        InjectionTrigger.WEBHOOK, false),
                new Row("neverInjectSelector, pod opts in", "{batch: 'yes', sidecar.istio.io/inject: 'true'}", "{}",
                        NS_ENABLED, "shop", false, never, InjectionTrigger.WEBHOOK, true),
                new Row("alwaysInjectSelector under disabled policy", "{tier: web}", "{}", NS_ENABLED, "shop", false,
                        always, InjectionTrigger.WEBHOOK, true),
                new Row("enableNamespacesByDefault", "{}", "{}", NS_NONE, "shop", false, byDefault,
                        InjectionTrigger.WEBHOOK, true),
                new Row("kube-inject ignores namespace labels", "{}", "{}", NS_NONE, "shop", false, DEFAULTS,
                        InjectionTrigger.KUBE_INJECT, true),
                new Row("kube-inject honours the opt-out", "{sidecar.istio.io/inject: 'false'}", "{}", NS_NONE, "shop",
                        false, DEFAULTS, InjectionTrigger.KUBE_INJECT, false),
                new Row("kube-inject skips host network", "{}", "{}", NS_NONE, "shop", true, DEFAULTS,
                        InjectionTrigger.KUBE_INJECT, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(Row row) {
        ObjectNode pod = Fixtures.pod(row.podLabels(), row.podAnnotations());
        ((ObjectNode) pod.get("metadata")).put("namespace", row.namespace());
        if (row.hostNetwork()) {
            ((ObjectNode) pod.get("spec")).put("hostNetwork", true);
        }
        PodRequest request = new PodRequest(pod, row.namespace(), row.nsLabels(),
                WorkloadMeta.ofPod(pod, row.namespace()), row.trigger());

        InjectionResult result = row.settings() == DEFAULTS
                ? INJECTOR.inject(request) : new SidecarInjector(row.settings()).inject(request);

        if (row.injected()) {
            assertThat(result).isInstanceOf(InjectionResult.Injected.class);
        } else {
            assertThat(result).isInstanceOf(InjectionResult.Skipped.class);
            assertThat(((InjectionResult.Skipped) result).reason()).isNotBlank();
        }
    }
}
