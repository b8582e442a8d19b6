package dev.mizzen.demo;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

import java.io.IOException;
import java.net.BindException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * For tests that steer endpoints by hand (the demo itself runs Bookinfo's own bookinfo.yaml in local mode):
 * Bookinfo's shape with stand-in gRPC workloads: productpage, details, reviews v1/v2/v3 and ratings, each on
 * its own loopback address, registered with an apiserver as Services (port {@value #SERVICE_PORT}, name
 * {@code http}, as in Bookinfo), Pods and EndpointSlices, the way a cluster would show them.
 */
public final class Bookinfo implements AutoCloseable {
    public static final String NAMESPACE = "default";
    public static final int SERVICE_PORT = 9080;
    private static final List<String> PODS = List.of(
            "productpage v1", "details v1", "reviews v1", "reviews v2", "reviews v3", "ratings v1");
    private static final int FIRST_ADDRESS = 10;
    private static final int ATTEMPTS = 5;

    private final List<Workload> workloads;

    private Bookinfo(List<Workload> workloads) {
        this.workloads = List.copyOf(workloads);
    }

    /** Starts the workloads; they share one port number on different loopback addresses, as pods do. */
    public static Bookinfo start() throws IOException {
        BindException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            List<Workload> started = new ArrayList<>();
            try {
                int port = 0;
                for (int i = 0; i < PODS.size(); i++) {
                    String[] appVersion = PODS.get(i).split(" ");
                    Workload w = Workload.start(appVersion[0], appVersion[1], "127.0.0." + (FIRST_ADDRESS + i), port);
                    port = w.port();
                    started.add(w);
                }
                return new Bookinfo(started);
            } catch (IOException e) {
                started.forEach(Workload::close);
                if (!(e.getCause() instanceof BindException) && !(e instanceof BindException)) {
                    throw e;
                }
                last = e instanceof BindException b ? b : (BindException) e.getCause();
            }
        }
        throw last;
    }

    public List<Workload> workloads() {
        return workloads;
    }

    public Set<String> apps() {
        Set<String> apps = new LinkedHashSet<>();
        workloads.forEach(w -> apps.add(w.app()));
        return apps;
    }

    /** Creates the Services, Pods and EndpointSlices of every workload. */
    public void register(KubernetesClient client) {
        for (String app : apps()) {
            apply(client, service(app));
        }
        for (Workload w : workloads) {
            apply(client, pod(w));
        }
        for (String app : apps()) {
            apply(client, endpointSlice(app, w -> true));
        }
    }

    public Service service(String app) {
        // a cluster gives every Service a VIP; the embedded API server does not, so we do
        String clusterIp = "10.96.0." + (FIRST_ADDRESS + List.copyOf(apps()).indexOf(app));
        return new ServiceBuilder()
                .withNewMetadata().withName(app).withNamespace(NAMESPACE)
                .withLabels(Map.of("app", app, "service", app)).endMetadata()
                .withNewSpec()
                .withClusterIP(clusterIp)
                .addNewPort().withName("http").withPort(SERVICE_PORT).withTargetPort(new IntOrString(port())).endPort()
                .withSelector(Map.of("app", app))
                .endSpec()
                .build();
    }

    public Pod pod(Workload w) {
        return new PodBuilder()
                .withNewMetadata().withName(w.podName()).withNamespace(NAMESPACE)
                .withLabels(Map.of("app", w.app(), "version", w.version())).endMetadata()
                .withNewSpec().withServiceAccountName("bookinfo-" + w.app())
                .addNewContainer().withName(w.app()).withImage("mizzen/demo-" + w.app()).endContainer()
                .endSpec()
                .withNewStatus().withPodIP(w.ip()).withPhase("Running").endStatus()
                .build();
    }

    /** The EndpointSlice of an app, listing its workloads; {@code ready} decides each endpoint's condition. */
    public EndpointSlice endpointSlice(String app, Predicate<Workload> ready) {
        EndpointSliceBuilder slice = new EndpointSliceBuilder()
                .withNewMetadata().withName(app + "-slice").withNamespace(NAMESPACE)
                .withLabels(Map.of("kubernetes.io/service-name", app)).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withPort(port()).withProtocol("TCP").endPort();
        for (Workload w : workloads) {
            if (w.app().equals(app)) {
                slice.addToEndpoints(new EndpointBuilder()
                        .withAddresses(w.ip())
                        .withNewConditions().withReady(ready.test(w)).endConditions()
                        .withNewTargetRef().withKind("Pod").withName(w.podName()).withNamespace(NAMESPACE).endTargetRef()
                        .build());
            }
        }
        return slice.build();
    }

    /** The port every workload listens on. */
    public int port() {
        return workloads.get(0).port();
    }

    private static void apply(KubernetesClient client, io.fabric8.kubernetes.api.model.HasMetadata object) {
        client.resource(object).createOr(NonDeletingOperation::update);
    }

    @Override
    public void close() {
        workloads.forEach(Workload::close);
    }
}
