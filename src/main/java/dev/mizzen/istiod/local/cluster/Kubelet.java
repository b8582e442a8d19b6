package dev.mizzen.istiod.local.cluster;

import dev.mizzen.istiod.local.apiserver.IpAllocator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler and the kubelet of the local cluster's one node: a pod without a node is bound to it; a pod
 * without an IP gets the lowest free address of the pod range (loopback, so a process of this machine can listen
 * where the pod "is"), {@code hostNetwork} pods the node's 127.0.0.1; then the pod is Running and Ready at once
 * (conditions PodScheduled, Initialized, ContainersReady, Ready; every container running and ready), as if each
 * container had started and passed its readiness probe. Nothing runs: whoever wants a pod to answer listens on its
 * IP (the demo does). A pod that arrives with an IP of the range keeps it. Addresses are released when pods go.
 *
 * <p>Threading: called on the local cluster's one worker thread only; {@link #assigned} is confined to it.
 */
final class Kubelet {
    private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);
    static final String HOST_IP = "127.0.0.1";

    private final KubernetesClient client;
    private final SharedIndexInformer<Pod> pods;
    private final IpAllocator podIps;
    private final String nodeName;
    private final Clock clock;
    /** namespace/name of a pod to the address it was given. */
    private final Map<String, String> assigned = new HashMap<>();

    Kubelet(KubernetesClient client, SharedIndexInformer<Pod> pods, IpAllocator podIps, String nodeName, Clock clock) {
        this.client = client;
        this.pods = pods;
        this.podIps = podIps;
        this.nodeName = nodeName;
        this.clock = clock;
    }

    void pod(String namespace, String name) {
        String key = namespace + "/" + name;
        Pod pod = pods.getStore().getByKey(key);
        if (pod == null) {
            String ip = assigned.remove(key);
            if (ip != null) {
                podIps.release(ip);
            }
            return;
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        String ip = address(key, pod);
        if (ip == null) {
            LOG.warn("pod {}: no address left in the pod range {}", key, podIps.block());
            return;
        }
        if (isRunning(pod, ip)) {
            return;
        }
        Pod updated = client.getKubernetesSerialization().clone(pod);
        if (updated.getSpec().getNodeName() == null || updated.getSpec().getNodeName().isEmpty()) {
            updated.getSpec().setNodeName(nodeName);
        }
        updated.setStatus(running(updated, ip));
        Writes.update(client, updated);
    }

    private String address(String key, Pod pod) {
        if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            return HOST_IP;
        }
        String mine = assigned.get(key);
        if (mine != null) {
            return mine;
        }
        String given = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (given != null && !given.isEmpty()) {
            if (podIps.block().indexOf(given) > 0 && !podIps.isAllocated(given)) {
                podIps.reserve(given);
                assigned.put(key, given);
            }
            return given;
        }
        String ip = podIps.allocate().orElse(null);
        if (ip != null) {
            assigned.put(key, ip);
        }
        return ip;
    }

    private boolean isRunning(Pod pod, String ip) {
        PodStatus status = pod.getStatus();
        return status != null && ip.equals(status.getPodIP()) && "Running".equals(status.getPhase())
                && EndpointSlices.isReady(pod) && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
    }

    private PodStatus running(Pod pod, String ip) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        PodStatus previous = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        List<PodCondition> conditions = new ArrayList<>();
        for (String type : List.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")) {
            conditions.add(new PodConditionBuilder().withType(type).withStatus("True").withLastTransitionTime(now).build());
        }
        List<ContainerStatus> containers = new ArrayList<>();
        for (Container c : pod.getSpec().getContainers() == null ? List.<Container>of() : pod.getSpec().getContainers()) {
            containers.add(new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withImageID("")
                    .withContainerID("local://" + pod.getMetadata().getName() + "/" + c.getName())
                    .withReady(true).withStarted(true).withRestartCount(0)
                    .withNewState().withNewRunning().withStartedAt(now).endRunning().endState()
                    .build());
        }
        PodStatus status = new PodStatus();
        status.setPhase("Running");
        status.setHostIP(HOST_IP);
        status.setHostIPs(List.of(new io.fabric8.kubernetes.api.model.HostIP(HOST_IP)));
        status.setPodIP(ip);
        status.setPodIPs(List.of(new PodIP(ip)));
        status.setStartTime(previous.getStartTime() != null ? previous.getStartTime() : now);
        status.setConditions(conditions);
        status.setContainerStatuses(containers);
        status.setQosClass("BestEffort");
        return status;
    }
}
