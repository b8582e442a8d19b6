package dev.mizzen.it;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;

/**
 * The proxyless workloads of the agent scenarios: a client Pod that asks for Istio's {@code grpc-agent}
 * injection, and a gRPC server in this JVM on 127.0.0.1 registered with a ServiceEntry. Pod IPs of this
 * cluster cannot be dialled and Kubernetes refuses loopback addresses in EndpointSlices (and Endpoints), so the
 * server is registered the mesh's own way, a MESH_INTERNAL STATIC ServiceEntry whose endpoint is 127.0.0.1,
 * which needs no privileges (an address added to {@code lo} for an EndpointSlice would need root).
 */
final class EchoWorkloads {
    static final String HOST = "echo.mesh.test";
    static final int SERVICE_PORT = 7070;

    private EchoWorkloads() {}

    /** {@code xds:///echo.mesh.test:7070}'s target. */
    static String target() {
        return HOST + ":" + SERVICE_PORT;
    }

    /** The namespace and the ServiceEntry for a server listening on 127.0.0.1:{@code serverPort}. */
    static void registerServer(KubernetesClient admin, String namespace, int serverPort) {
        if (admin.namespaces().withName(namespace).get() == null) {
            admin.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        }
        MizzenInstall.applyYaml(admin, """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: echo, namespace: %s}
                spec:
                  hosts: [%s]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: %d, name: grpc, protocol: GRPC}]
                  endpoints: [{address: 127.0.0.1, ports: {grpc: %d}}]
                """.formatted(namespace, HOST, SERVICE_PORT, serverPort));
    }

    /**
     * A Pod as a user declares a proxyless workload (label {@code sidecar.istio.io/inject=true}, annotation
     * {@code inject.istio.io/templates=grpc-agent}) with its own ServiceAccount; returns it as stored, injected and
     * Running with an IP, once the mesh root is published in its namespace (its agent mounts it).
     */
    static Pod deployProxyless(KubernetesClient admin, String namespace, String name, Duration timeout) {
        if (admin.namespaces().withName(namespace).get() == null) {
            admin.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        }
        admin.resource(new ServiceAccountBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .build()).create();
        admin.resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                        .addToLabels("app", name).addToLabels("sidecar.istio.io/inject", "true")
                        .addToAnnotations("inject.istio.io/templates", "grpc-agent")
                        .endMetadata()
                        .withNewSpec().withServiceAccountName(name)
                        .addNewContainer().withName("app").withImage("example.invalid/" + name + ":1")
                        .addNewPort().withName("grpc").withContainerPort(8080).endPort().endContainer()
                        .endSpec().build())
                .create();
        await().atMost(timeout).until(() -> {
            Pod stored = admin.pods().inNamespace(namespace).withName(name).get();
            return stored.getStatus().getPodIP() != null
                    && admin.configMaps().inNamespace(namespace).withName(XdsConnections.ROOT_CONFIG_MAP).get() != null;
        });
        return admin.pods().inNamespace(namespace).withName(name).get();
    }
}
