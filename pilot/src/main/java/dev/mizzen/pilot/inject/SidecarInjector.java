package dev.mizzen.pilot.inject;

import io.pebbletemplates.pebble.error.PebbleException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The injection engine: a pod in, the pod Istio's injector would make of it out (or why not). Pure apart from
 * reading its settings: the request's pod is never modified and the same request always gives the same pod.
 * <p>
 * The steps are Istio's: policy; annotation checks; the pod's ProxyConfig; render each template (seeing the pod
 * as it was before any earlier injection, see {@link Reinjection}) and merge it onto the pod (strategic merge); merge the user's own versions of template containers back on top; then the
 * post-processing no template can do (cluster env, Prometheus merge, probe rewriting, status annotation,
 * container order); last, a check that the result is still a pod Kubernetes will run.
 * <p>
 * Thread-safe: everything it holds is immutable after construction (compiled templates included).
 */
public final class SidecarInjector {
    private final InjectionSettings settings;
    private final InjectionTemplates templates;
    private final TemplateData.Shared shared;
    private final ObjectNode meshProxyConfig;

    /** Compiles the settings' templates; IllegalArgumentException when one does not compile. */
    public SidecarInjector(InjectionSettings settings) {
        this.settings = settings;
        this.templates = InjectionTemplates.compile(settings.templates());
        this.shared = TemplateData.Shared.of(settings);
        this.meshProxyConfig = ProxyConfigs.meshDefault(settings);
    }

    public InjectionSettings settings() {
        return settings;
    }

    /** Injects one pod. Never throws: a failure is a {@link InjectionResult.Rejected} saying what went wrong. */
    public InjectionResult inject(PodRequest request) {
        try {
            return injectChecked(request);
        } catch (RuntimeException e) {
            return new InjectionResult.Rejected(List.of("sidecar injection failed: " + e));
        }
    }

    private InjectionResult injectChecked(PodRequest request) {
        List<String> shape = PodChecks.input(request.pod());
        if (!shape.isEmpty()) {
            return new InjectionResult.Rejected(shape);
        }
        InjectionPolicy.Decision decision = InjectionPolicy.decide(request, settings);
        if (!decision.inject()) {
            return new InjectionResult.Skipped(decision.reason());
        }
        ObjectNode pod = request.pod();
        Map<String, String> annotations = Trees.stringMap(pod.path("metadata").path("annotations"));
        List<String> errors = new ArrayList<>(AnnotationValidator.validate(annotations));
        List<String> names = settings.config().templatesFor(annotations);
        for (String name : names) {
            if (!templates.has(name)) {
                errors.add("requested injection template '" + name + "' not found; have "
                        + String.join(", ", new TreeMap<>(settings.templates()).keySet()));
            }
        }
        if (!errors.isEmpty()) {
            return new InjectionResult.Rejected(errors);
        }

        ObjectNode proxyConfig = ProxyConfigs.forPod(meshProxyConfig, annotations, request.proxyConfigs()
                .layers(request.namespace(), Trees.stringMap(pod.path("metadata").path("labels"))));
        String proxyConfigJson = ProxyConfigs.toJson(proxyConfig, settings.proxyConfigDefaults());
        Reinjection earlier = Reinjection.of(annotations);
        ObjectNode seen = Reinjection.reinsertOverrides(
                earlier == null ? pod : earlier.strip(pod, ProxyConfigs.statusPort(meshProxyConfig)));
        Map<String, Object> data = TemplateData.of(seen, request, proxyConfig, proxyConfigJson, settings, shared);

        ObjectNode merged = pod.deepCopy();
        ObjectNode templatePod = Trees.object();
        for (String name : names) {
            ObjectNode partial;
            try {
                partial = parse(templates.render(name, data));
            } catch (PebbleException e) {
                return new InjectionResult.Rejected(List.of("injection template '" + name + "' failed: "
                        + e.getMessage()));
            } catch (JacksonException | IllegalArgumentException e) {
                return new InjectionResult.Rejected(List.of("injection template '" + name
                        + "' did not produce a pod: " + e.getMessage()));
            }
            StrategicMerge.mergePod(templatePod, partial.deepCopy());
            ContainerOverrides.moveCustomProxy(merged, templatePod);
            StrategicMerge.mergePod(merged, partial);
        }
        ContainerOverrides.reapply(merged, pod, templatePod);

        Set<String> injected = templateContainers(templatePod);
        List<String> resourceErrors = Resources.canonicalize(merged, injected);
        if (!resourceErrors.isEmpty()) {
            return new InjectionResult.Rejected(resourceErrors);
        }
        postProcess(merged, templatePod, proxyConfig);

        List<String> broken = PodChecks.output(merged, injected);
        if (!broken.isEmpty()) {
            List<String> out = new ArrayList<>();
            broken.forEach(b -> out.add("injection would produce an invalid pod: " + b));
            return new InjectionResult.Rejected(out);
        }
        return new InjectionResult.Injected(merged);
    }

    private static ObjectNode parse(String yaml) {
        JsonNode node = Trees.YAML.readTree(yaml);
        if (node == null || node.isMissingNode() || node.isNull()) {
            return Trees.object();
        }
        if (!(node instanceof ObjectNode o)) {
            throw new IllegalArgumentException("the rendered template is not a YAML mapping");
        }
        return o;
    }

    private static Set<String> templateContainers(ObjectNode templatePod) {
        Set<String> names = new HashSet<>();
        ObjectNode spec = Trees.obj(templatePod, "spec");
        for (String list : new String[]{"containers", "initContainers"}) {
            Trees.objects(Trees.arr(spec, list)).forEach(c -> names.add(Trees.text(c, "name")));
        }
        return names;
    }

    /** What no template can do, in Istio's order. */
    private void postProcess(ObjectNode pod, ObjectNode templatePod, ObjectNode proxyConfig) {
        ObjectNode meta = Trees.objOrCreate(pod, "metadata");
        ObjectNode labels = Trees.objOrCreate(meta, "labels");
        ObjectNode annotations = Trees.objOrCreate(meta, "annotations");
        ObjectNode spec = Trees.obj(pod, "spec");
        ObjectNode sidecar = Trees.named(Trees.arr(spec, "containers"), Annotations.PROXY_CONTAINER);
        if (sidecar == null) {
            sidecar = Trees.named(Trees.arr(spec, "initContainers"), Annotations.PROXY_CONTAINER);
        }

        Map<String, String> clusterEnv = clusterEnv(Trees.stringMap(labels));
        if (sidecar != null && !clusterEnv.isEmpty()) {
            ClusterEnv.apply(sidecar, clusterEnv);
        }
        int meshStatusPort = ProxyConfigs.statusPort(meshProxyConfig);
        PrometheusMerge.apply(pod, sidecar, settings.meshConfig(), meshStatusPort);
        PrometheusMerge.applySecurePort(pod, sidecar);
        Map<String, String> current = Trees.stringMap(annotations);
        if (sidecar != null && ProbeRewriter.enabled(current, settings.values())) {
            String port = current.get(Annotations.STATUS_PORT);
            ProbeRewriter.rewrite(pod, sidecar, port != null ? Integer.parseInt(port.trim()) : meshStatusPort,
                    meshStatusPort, current.containsKey(Annotations.STATUS));
        }

        if (clusterEnv.containsKey("ISTIO_META_NETWORK")) {
            labels.put(Annotations.LABEL_NETWORK, clusterEnv.get("ISTIO_META_NETWORK"));
        }
        annotations.put(Annotations.STATUS, InjectionStatus.of(templatePod, settings.revisionName()));
        settings.config().injectedAnnotations().forEach(annotations::put);

        ContainerOrder.Position proxy = ProxyConfigs.holdApplicationUntilProxyStarts(proxyConfig, settings.values())
                ? ContainerOrder.Position.FIRST : ContainerOrder.Position.LAST;
        ContainerOrder.apply(spec, proxy, current.get(Annotations.INIT_CONTAINERS_BEFORE_PROXY));
    }

    /** ISTIO_META_CLUSTER_ID and ISTIO_META_NETWORK when set; the pod's topology.istio.io/network label wins. */
    private Map<String, String> clusterEnv(Map<String, String> podLabels) {
        Map<String, String> env = new TreeMap<>();
        JsonNode global = settings.values().path("global");
        String cluster = global.path("multiCluster").path("clusterName").asString("");
        String network = podLabels.getOrDefault(Annotations.LABEL_NETWORK, global.path("network").asString(""));
        if (!cluster.isEmpty()) {
            env.put("ISTIO_META_CLUSTER_ID", cluster);
        }
        if (!network.isEmpty()) {
            env.put("ISTIO_META_NETWORK", network);
        }
        return env;
    }
}
