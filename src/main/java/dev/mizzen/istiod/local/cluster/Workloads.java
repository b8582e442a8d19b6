package dev.mizzen.istiod.local.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The workload controllers of kube-controller-manager, reduced to what a local cluster needs:
 * <ul>
 *   <li>Deployment: one ReplicaSet per pod template, {@code <deployment>-<pod-template-hash>}, with the label
 *       {@code pod-template-hash} in its selector and template; the current one gets the Deployment's replicas
 *       (default 1), older ones are scaled to 0 (a rollout done at once); status counts its pods;</li>
 *   <li>ReplicaSet: {@code replicas} pods named {@code <replicaset>-<5 characters>}; StatefulSet: pods
 *       {@code <name>-0..n-1} with hostname = pod name and subdomain = {@code serviceName}, labels
 *       {@code statefulset.kubernetes.io/pod-name} and {@code apps.kubernetes.io/pod-index}; DaemonSet: one pod,
 *       for the one node; Job: {@code parallelism} pods (default 1) with the {@code job-name} labels;</li>
 *   <li>every pod: the template's labels and annotations, an owner reference to its controller, service account
 *       {@code default} unless the template names one, then the sidecar injector's admission, then created.</li>
 * </ul>
 * Pod names derive from a hash of the owner's name and the pod's slot, so a controller that sees a stale cache and
 * creates a slot again is refused by the apiserver instead of doubling a pod; extra pods (scale down) are the
 * highest slots, deleted.
 *
 * <p>Threading: called on the local cluster's one worker thread only.
 */
final class Workloads {
    private static final Logger LOG = LoggerFactory.getLogger(Workloads.class);
    static final String POD_TEMPLATE_HASH = "pod-template-hash";

    private final KubernetesClient client;
    private final PodAdmission admission;
    private final SharedIndexInformer<Deployment> deployments;
    private final SharedIndexInformer<ReplicaSet> replicaSets;
    private final SharedIndexInformer<StatefulSet> statefulSets;
    private final SharedIndexInformer<DaemonSet> daemonSets;
    private final SharedIndexInformer<Job> jobs;
    private final SharedIndexInformer<Pod> pods;
    private final String nodeName;

    Workloads(KubernetesClient client, PodAdmission admission, SharedIndexInformer<Deployment> deployments,
              SharedIndexInformer<ReplicaSet> replicaSets, SharedIndexInformer<StatefulSet> statefulSets,
              SharedIndexInformer<DaemonSet> daemonSets, SharedIndexInformer<Job> jobs, SharedIndexInformer<Pod> pods,
              String nodeName) {
        this.client = client;
        this.admission = admission;
        this.deployments = deployments;
        this.replicaSets = replicaSets;
        this.statefulSets = statefulSets;
        this.daemonSets = daemonSets;
        this.jobs = jobs;
        this.pods = pods;
        this.nodeName = nodeName;
    }

    void deployment(String namespace, String name) {
        Deployment d = deployments.getStore().getByKey(namespace + "/" + name);
        if (d == null || d.getSpec() == null || d.getSpec().getTemplate() == null) {
            return;
        }
        int replicas = Optional.ofNullable(d.getSpec().getReplicas()).orElse(1);
        PodTemplateSpec template = client.getKubernetesSerialization().clone(d.getSpec().getTemplate());
        String hash = Names.suffix(client.getKubernetesSerialization().asJson(template), 10);
        String rsName = name.substring(0, Math.min(name.length(), 52)) + "-" + hash;
        Map<String, String> labels = new TreeMap<>(Optional.ofNullable(template.getMetadata().getLabels()).orElse(Map.of()));
        labels.put(POD_TEMPLATE_HASH, hash);
        template.getMetadata().setLabels(labels);
        Map<String, String> matchLabels = new TreeMap<>();
        if (d.getSpec().getSelector() != null && d.getSpec().getSelector().getMatchLabels() != null) {
            matchLabels.putAll(d.getSpec().getSelector().getMatchLabels());
        }
        matchLabels.put(POD_TEMPLATE_HASH, hash);
        List<ReplicaSet> owned = owned(replicaSets, namespace, d.getMetadata().getUid());
        int ready = 0;
        int current = 0;
        boolean found = false;
        for (ReplicaSet rs : owned) {
            if (rs.getMetadata().getName().equals(rsName)) {
                found = true;
                if (!Objects.equals(rs.getSpec().getReplicas(), replicas)) {
                    rs.getSpec().setReplicas(replicas);
                    Writes.update(client, rs);
                }
                if (rs.getStatus() != null) {
                    ready = Optional.ofNullable(rs.getStatus().getReadyReplicas()).orElse(0);
                    current = Optional.ofNullable(rs.getStatus().getReplicas()).orElse(0);
                }
            } else if (rs.getSpec().getReplicas() == null || rs.getSpec().getReplicas() > 0) {
                rs.getSpec().setReplicas(0);
                Writes.update(client, rs);
            }
        }
        if (!found) {
            Writes.create(client, new ReplicaSetBuilder()
                    .withNewMetadata().withName(rsName).withNamespace(namespace).withLabels(labels)
                    .withOwnerReferences(owner(d)).endMetadata()
                    .withNewSpec().withReplicas(replicas)
                    .withSelector(new LabelSelectorBuilder().withMatchLabels(matchLabels)
                            .withMatchExpressions(d.getSpec().getSelector() == null ? null
                                    : d.getSpec().getSelector().getMatchExpressions()).build())
                    .withTemplate(template).endSpec()
                    .build());
        }
        var status = d.getStatus();
        if (status == null || !Objects.equals(status.getReplicas(), current) || !Objects.equals(status.getReadyReplicas(), ready)
                || !Objects.equals(status.getObservedGeneration(), d.getMetadata().getGeneration())) {
            Deployment updated = client.getKubernetesSerialization().clone(d);
            updated.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                    .withReplicas(current).withUpdatedReplicas(current).withReadyReplicas(ready).withAvailableReplicas(ready)
                    .withObservedGeneration(d.getMetadata().getGeneration()).build());
            Writes.update(client, updated);
        }
    }

    void replicaSet(String namespace, String name) {
        ReplicaSet rs = replicaSets.getStore().getByKey(namespace + "/" + name);
        if (rs == null || rs.getSpec() == null || rs.getSpec().getTemplate() == null) {
            return;
        }
        int replicas = Optional.ofNullable(rs.getSpec().getReplicas()).orElse(1);
        Map<String, Pod> desired = new LinkedHashMap<>();
        for (int slot = 0; slot < replicas; slot++) {
            String podName = Names.generated(name, name + "/" + slot, 5);
            desired.put(podName, pod(rs, podName, rs.getSpec().getTemplate(), Map.of()));
        }
        List<Pod> current = converge(rs, desired);
        int ready = (int) current.stream().filter(EndpointSlices::isReady).count();
        var status = rs.getStatus();
        if (status == null || !Objects.equals(status.getReplicas(), current.size())
                || !Objects.equals(status.getReadyReplicas(), ready)) {
            ReplicaSet updated = client.getKubernetesSerialization().clone(rs);
            updated.setStatus(new io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder().withReplicas(current.size())
                    .withReadyReplicas(ready).withAvailableReplicas(ready).withFullyLabeledReplicas(current.size())
                    .withObservedGeneration(rs.getMetadata().getGeneration()).build());
            Writes.update(client, updated);
        }
    }

    void statefulSet(String namespace, String name) {
        StatefulSet sts = statefulSets.getStore().getByKey(namespace + "/" + name);
        if (sts == null || sts.getSpec() == null || sts.getSpec().getTemplate() == null) {
            return;
        }
        int replicas = Optional.ofNullable(sts.getSpec().getReplicas()).orElse(1);
        Map<String, Pod> desired = new LinkedHashMap<>();
        for (int i = 0; i < replicas; i++) {
            String podName = name + "-" + i;
            Pod pod = pod(sts, podName, sts.getSpec().getTemplate(), Map.of(
                    "statefulset.kubernetes.io/pod-name", podName, "apps.kubernetes.io/pod-index", Integer.toString(i)));
            pod.getSpec().setHostname(podName);
            pod.getSpec().setSubdomain(sts.getSpec().getServiceName());
            desired.put(podName, pod);
        }
        converge(sts, desired);
    }

    void daemonSet(String namespace, String name) {
        DaemonSet ds = daemonSets.getStore().getByKey(namespace + "/" + name);
        if (ds == null || ds.getSpec() == null || ds.getSpec().getTemplate() == null) {
            return;
        }
        String podName = Names.generated(name, name + "/" + nodeName, 5);
        converge(ds, Map.of(podName, pod(ds, podName, ds.getSpec().getTemplate(), Map.of())));
    }

    void job(String namespace, String name) {
        Job job = jobs.getStore().getByKey(namespace + "/" + name);
        if (job == null || job.getSpec() == null || job.getSpec().getTemplate() == null) {
            return;
        }
        int parallelism = Optional.ofNullable(job.getSpec().getParallelism()).orElse(1);
        if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
            parallelism = 0;
        }
        String uid = job.getMetadata().getUid();
        Map<String, Pod> desired = new LinkedHashMap<>();
        for (int slot = 0; slot < parallelism; slot++) {
            String podName = Names.generated(name, name + "/" + slot, 5);
            desired.put(podName, pod(job, podName, job.getSpec().getTemplate(), Map.of("job-name", name,
                    "batch.kubernetes.io/job-name", name, "controller-uid", uid, "batch.kubernetes.io/controller-uid", uid)));
        }
        converge(job, desired);
    }

    /** Creates the desired pods that are missing, deletes owned pods that are not desired; returns those that stay. */
    private List<Pod> converge(HasMetadata owner, Map<String, Pod> desired) {
        List<Pod> owned = owned(pods, owner.getMetadata().getNamespace(), owner.getMetadata().getUid());
        Set<String> existing = new TreeSet<>();
        List<Pod> staying = new ArrayList<>();
        for (Pod pod : owned) {
            existing.add(pod.getMetadata().getName());
            if (desired.containsKey(pod.getMetadata().getName())) {
                staying.add(pod);
            } else {
                Writes.delete(client, pod);
            }
        }
        for (var e : desired.entrySet()) {
            if (!existing.contains(e.getKey())) {
                try {
                    Writes.create(client, admission.admit(e.getValue()));
                } catch (PodAdmission.Denied denied) {
                    LOG.warn("{} {}/{}: cannot create pod {}: {}", owner.getKind(), owner.getMetadata().getNamespace(),
                            owner.getMetadata().getName(), e.getKey(), denied.getMessage());
                }
            }
        }
        return staying;
    }

    private Pod pod(HasMetadata owner, String name, PodTemplateSpec template, Map<String, String> extraLabels) {
        PodTemplateSpec t = client.getKubernetesSerialization().clone(template);
        Map<String, String> labels = new TreeMap<>(Optional.ofNullable(t.getMetadata()).map(m -> m.getLabels())
                .orElse(Map.of()));
        labels.putAll(extraLabels);
        Pod pod = new Pod();
        pod.setApiVersion("v1");
        pod.setKind("Pod");
        pod.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(name).withNamespace(owner.getMetadata().getNamespace())
                .withGenerateName(owner.getMetadata().getName() + "-")
                .withLabels(labels)
                .withAnnotations(t.getMetadata() == null ? null : t.getMetadata().getAnnotations())
                .withOwnerReferences(owner(owner))
                .build());
        pod.setSpec(t.getSpec());
        if (pod.getSpec().getServiceAccountName() == null || pod.getSpec().getServiceAccountName().isEmpty()) {
            pod.getSpec().setServiceAccountName("default");
        }
        return pod;
    }

    static OwnerReference owner(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    /** The objects of a namespace whose controlling owner has {@code uid}. */
    static <T extends HasMetadata> List<T> owned(SharedIndexInformer<T> informer, String namespace, String uid) {
        List<T> out = new ArrayList<>();
        for (T object : informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)) {
            if (object.getMetadata().getOwnerReferences() != null && object.getMetadata().getOwnerReferences().stream()
                    .anyMatch(r -> uid != null && uid.equals(r.getUid()))) {
                out.add(object);
            }
        }
        return out;
    }
}
