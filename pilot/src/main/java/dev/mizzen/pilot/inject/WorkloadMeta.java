package dev.mizzen.pilot.inject;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workload a pod belongs to, as the sidecar reports it (ISTIO_META_WORKLOAD_NAME, ISTIO_META_OWNER) and the
 * canonical-name label falls back to.
 *
 * @param name       workload name ({@code reviews-v1} for a Deployment's pods)
 * @param namespace  its namespace, "" when not known yet
 * @param apiVersion the workload's apiVersion ({@code apps/v1})
 * @param kind       the workload's kind ({@code Deployment})
 */
public record WorkloadMeta(String name, String namespace, String apiVersion, String kind) {
    private static final Pattern CRON_JOB_NAME = Pattern.compile("^(.+)-\\d{8,10}$");

    public WorkloadMeta {
        name = name == null ? "" : name;
        namespace = namespace == null ? "" : namespace;
        apiVersion = apiVersion == null ? "" : apiVersion;
        kind = kind == null ? "" : kind;
    }

    /** The workload of an object that has a pod template (Deployment, Job, ...), read from its own metadata. */
    static WorkloadMeta ofWorkload(JsonNode workload) {
        ObjectNode meta = Trees.obj(workload, "metadata");
        return new WorkloadMeta(Trees.text(meta, "name"), Trees.text(meta, "namespace"),
                Trees.text(workload, "apiVersion"), Trees.text(workload, "kind"));
    }

    /**
     * The workload of a pod, guessed from its controller the way Istio does: a ReplicaSet whose name ends in
     * the pod-template-hash is a Deployment, a Job named {@code <name>-<8 to 10 digits>} is a CronJob's;
     * a pod without a generated name is its own workload.
     */
    static WorkloadMeta ofPod(ObjectNode pod, String namespace) {
        ObjectNode meta = Trees.obj(pod, "metadata");
        String name = Trees.text(meta, "name");
        String apiVersion = "v1";
        String kind = "Pod";
        if (!Trees.text(meta, "generateName").isEmpty()) {
            ObjectNode controller = null;
            for (ObjectNode ref : Trees.objects(Trees.arr(meta, "ownerReferences"))) {
                if (ref.path("controller").asBoolean(false)) {
                    controller = ref;
                    break;
                }
            }
            if (controller != null) {
                apiVersion = Trees.text(controller, "apiVersion");
                kind = Trees.text(controller, "kind");
                name = Trees.text(controller, "name");
                Map<String, String> labels = Trees.stringMap(Trees.obj(meta, "labels"));
                String hash = labels.getOrDefault("pod-template-hash", "");
                Matcher cron = CRON_JOB_NAME.matcher(name);
                if (kind.equals("ReplicaSet") && !hash.isEmpty() && name.endsWith(hash)) {
                    name = name.endsWith("-" + hash) ? name.substring(0, name.length() - hash.length() - 1) : name;
                    kind = "Deployment";
                } else if (kind.equals("ReplicationController") && labels.containsKey("deploymentconfig")) {
                    name = labels.get("deploymentconfig");
                    kind = "DeploymentConfig";
                } else if (kind.equals("Job") && cron.matches()) {
                    name = cron.group(1);
                    kind = "CronJob";
                    apiVersion = "batch/v1";
                }
            }
        }
        if (name.isEmpty()) {
            name = Trees.text(meta, "name");
        }
        return new WorkloadMeta(name, namespace, apiVersion, kind);
    }
}
