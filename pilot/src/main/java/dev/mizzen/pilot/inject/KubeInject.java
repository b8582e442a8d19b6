package dev.mizzen.pilot.inject;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code kube-inject}: a manifest in, the same manifest with sidecars out. The pod templates of Pods,
 * Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, ReplicationControllers and OpenShift
 * DeploymentConfigs (also inside a v1 List) are injected as the webhook would inject their pods, except that namespace labels are not consulted
 * (the file is injected because the user asked). Every other document is passed through byte for byte, and
 * the order is kept. Pure: no I/O, no cluster.
 */
public final class KubeInject {
    private static final Set<String> TEMPLATED = Set.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job",
            "ReplicationController", "DeploymentConfig");

    /** The injected manifest and what was skipped (a workload with host networking, one that opts out...). */
    public record Result(String yaml, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    private KubeInject() {
    }

    /** Injects every workload of {@code yaml}; throws {@link KubeInjectException} when one cannot be. */
    public static String inject(String yaml, InjectionSettings settings) {
        return run(yaml, new SidecarInjector(settings)).yaml();
    }

    /** As {@link #inject}, with a prepared injector, returning the warnings too. */
    public static Result run(String yaml, SidecarInjector injector) {
        List<String> warnings = new ArrayList<>();
        List<String> out = new ArrayList<>();
        int index = 0;
        for (YamlDocuments doc : YamlDocuments.split(yaml)) {
            index++;
            JsonNode node;
            try {
                node = Trees.YAML.readTree(doc.text());
            } catch (JacksonException e) {
                int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
                throw new KubeInjectException("document " + index + " (line " + (doc.firstLine() + Math.max(0, line - 1))
                        + "): invalid YAML: " + e.getOriginalMessage());
            }
            if (node instanceof ObjectNode object && injectDocument(object, injector, warnings)) {
                out.add(Trees.YAML.writeValueAsString(object));
            } else {
                out.add(doc.text());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String d : out) {
            text.append(d.endsWith("\n") ? d : d + "\n").append("---\n");
        }
        return new Result(text.toString(), warnings);
    }

    /** Injects the document in place; false when it has no pod template (and is to be passed through). */
    private static boolean injectDocument(ObjectNode doc, SidecarInjector injector, List<String> warnings) {
        String kind = Trees.text(doc, "kind");
        if (kind.equals("List")) {
            boolean any = false;
            ArrayNode items = Trees.arr(doc, "items");
            for (ObjectNode item : Trees.objects(items)) {
                any |= injectDocument(item, injector, warnings);
            }
            return any;
        }
        ObjectNode template;
        WorkloadMeta workload;
        String namespace = Trees.text(Trees.obj(doc, "metadata"), "namespace");
        if (kind.equals("Pod") && Trees.text(doc, "apiVersion").equals("v1")) {
            template = doc;
            workload = WorkloadMeta.ofPod(doc, namespace);
        } else if (kind.equals("CronJob")) {
            template = Trees.obj(Trees.obj(Trees.obj(Trees.obj(doc, "spec"), "jobTemplate"), "spec"), "template");
            workload = WorkloadMeta.ofWorkload(doc);
        } else if (TEMPLATED.contains(kind)) {
            template = Trees.obj(Trees.obj(doc, "spec"), "template");
            workload = WorkloadMeta.ofWorkload(doc);
        } else {
            return false;
        }
        String what = kind + " " + GoJson.quote(qualifiedName(doc));
        if (template == null) {
            throw new KubeInjectException(what + ": spec.template is required");
        }
        String podNamespace = Trees.text(Trees.obj(template, "metadata"), "namespace");
        ObjectNode pod = Trees.object();
        pod.set("metadata", template.has("metadata") ? template.get("metadata") : Trees.object());
        pod.set("spec", template.get("spec"));
        PodRequest request = new PodRequest(pod, podNamespace.isEmpty() ? namespace : podNamespace, Map.of(),
                workload, InjectionTrigger.KUBE_INJECT);
        InjectionResult result = injector.inject(request);
        if (result instanceof InjectionResult.Injected injected) {
            template.set("metadata", injected.pod().get("metadata"));
            template.set("spec", injected.pod().get("spec"));
            return true;
        }
        if (result instanceof InjectionResult.Skipped skipped) {
            warnings.add("===> Skipping injection because " + what + ": " + skipped.reason());
            return false;
        }
        throw new KubeInjectException(what + ": " + ((InjectionResult.Rejected) result).message());
    }

    private static String qualifiedName(ObjectNode doc) {
        ObjectNode meta = Trees.obj(doc, "metadata");
        String ns = Trees.text(meta, "namespace");
        String name = Trees.text(meta, "name");
        return ns.isEmpty() ? name : ns + "/" + name;
    }
}
