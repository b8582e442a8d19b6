package dev.mizzen.demo;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The demo's container runtime: for every Running pod of the local cluster that has an IP, a stand-in gRPC
 * {@link Workload} listens on the pod's IP and container port (Bookinfo's 9080) and answers with the pod's
 * {@code app} and {@code version} labels, so a call routed to a pod's endpoint reaches "that pod". Local mode gives
 * pods loopback addresses, which is what makes this possible. Pods that go away stop their workload.
 *
 * <p>Threading: the pod informer's handler only hands work to one thread, which starts and stops workloads.
 */
public final class StandInPods implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StandInPods.class);
    private static final int DEFAULT_PORT = 9080;

    private final SharedIndexInformer<Pod> pods;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "demo-stand-in-pods");
        t.setDaemon(true);
        return t;
    });
    /** namespace/name to the running workload; written on the worker only. */
    private final Map<String, Workload> running = new ConcurrentHashMap<>();

    private StandInPods(SharedIndexInformer<Pod> pods) {
        this.pods = pods;
    }

    public static StandInPods start(KubernetesClient client) {
        SharedIndexInformer<Pod> informer = client.pods().inAnyNamespace().runnableInformer(0);
        StandInPods runtime = new StandInPods(informer);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                runtime.worker.execute(() -> runtime.sync(pod, false));
            }

            @Override
            public void onUpdate(Pod oldPod, Pod pod) {
                runtime.worker.execute(() -> runtime.sync(pod, false));
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
                runtime.worker.execute(() -> runtime.sync(pod, true));
            }
        });
        informer.start();
        return runtime;
    }

    private void sync(Pod pod, boolean deleted) {
        String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        boolean wanted = !deleted && ip != null && !ip.isEmpty() && "Running".equals(pod.getStatus().getPhase());
        Workload current = running.get(key);
        if (current != null && (!wanted || !current.ip().equals(ip))) {
            current.close();
            running.remove(key);
            current = null;
        }
        if (wanted && current == null) {
            Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
            String app = labels.getOrDefault("app", pod.getMetadata().getName());
            String version = labels.getOrDefault("version", "v1");
            try {
                running.put(key, Workload.start(app, version, ip, port(pod)));
            } catch (IOException e) {
                LOG.warn("pod {}: cannot listen on {}:{}: {}", key, ip, port(pod), e.getMessage());
            }
        }
    }

    private static int port(Pod pod) {
        if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
            for (Container c : pod.getSpec().getContainers()) {
                if (c.getPorts() != null) {
                    for (ContainerPort p : c.getPorts()) {
                        if (p.getContainerPort() != null) {
                            return p.getContainerPort();
                        }
                    }
                }
            }
        }
        return DEFAULT_PORT;
    }

    /** How many pods have a listening workload now. */
    public int serving() {
        return running.size();
    }

    @Override
    public void close() {
        pods.close();
        worker.shutdown();
        try {
            worker.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.values().forEach(Workload::close);
        running.clear();
    }
}
