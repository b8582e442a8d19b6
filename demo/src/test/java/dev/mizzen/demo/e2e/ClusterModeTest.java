package dev.mizzen.demo.e2e;

import dev.mizzen.istiod.Istiod;
import dev.mizzen.demo.Bookinfo;
import dev.mizzen.demo.ProxylessClient;
import dev.mizzen.istiod.local.LocalApiServer;
import dev.mizzen.istiod.local.ManifestApplier;
import dev.mizzen.istiod.local.Manifests;
import dev.mizzen.demo.testing.MeshFixture;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * istiod in cluster mode, started as a user starts it ({@code istiod --kubeconfig FILE}), against fabric8's
 * mock API server in CRUD mode standing in for a cluster: Services, EndpointSlices, Pods and
 * VirtualServices created, updated and deleted through the Kubernetes client reach the proxy.
 */
class ClusterModeTest {
    @Test
    void objectsChangedThroughTheApiServerReachTheProxy(@TempDir Path dir) throws Exception {
        try (LocalApiServer cluster = LocalApiServer.start(); Bookinfo bookinfo = Bookinfo.start()) {
            KubernetesClient kube = cluster.client();
            // the kubeconfig the embedded apiserver writes: its address and its bearer token
            Path kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
            int xdsPort = freePort();
            Thread istiod = new Thread(() -> new CommandLine(new Istiod()).execute("--kubeconfig", kubeconfig.toString(),
                    "--xds-port", Integer.toString(xdsPort), "--secure-xds-port", "0", "--webhook-port", "0",
                    "--monitoring-port", "0"), "istiod-under-test");
            istiod.start();
            // connect once istiod listens: a client that finds the port closed backs off for seconds
            await().atMost(MeshFixture.TIMEOUT).until(() -> listening(xdsPort));
            try (ProxylessClient client = ProxylessClient.isolated(ProxylessClient.bootstrap("127.0.0.1:" + xdsPort,
                    "sidecar~127.0.0.2~client.default~default.svc.cluster.local", "default", Map.of("app", "client")))) {
                bookinfo.register(kube);
                await().atMost(MeshFixture.TIMEOUT).ignoreExceptions().until(() ->
                        client.tally("reviews:9080", Map.of(), 30).keySet().equals(Set.of("reviews v1", "reviews v2", "reviews v3")));

                ManifestApplier applier = new ManifestApplier(kube);
                for (var doc : Manifests.parse(MeshFixture.sample("destination-rule-all"))) {
                    applier.apply(doc);
                }
                var vs = Manifests.parse(MeshFixture.sample("virtual-service-reviews-v3")).get(0);
                ManifestApplier.ObjectRef created = applier.apply(vs);
                await().atMost(MeshFixture.TIMEOUT).until(() -> client.tally("reviews:9080", Map.of(), 10).keySet().equals(Set.of("reviews v3")));

                applier.apply(Manifests.parse(MeshFixture.sample("virtual-service-all-v1")).stream()
                        .filter(d -> "reviews".equals(d.name())).findFirst().orElseThrow());
                await().atMost(MeshFixture.TIMEOUT).until(() -> client.tally("reviews:9080", Map.of(), 10).keySet().equals(Set.of("reviews v1")));

                applier.delete(created);
                await().atMost(MeshFixture.TIMEOUT).until(() -> client.tally("reviews:9080", Map.of(), 30).keySet()
                        .equals(Set.of("reviews v1", "reviews v2", "reviews v3")));

                kube.resource(bookinfo.endpointSlice("ratings", w -> false)).createOr(NonDeletingOperation::update);
                await().atMost(MeshFixture.TIMEOUT).until(() -> client.tally("ratings:9080", Map.of(), 3).keySet()
                        .equals(Set.of("error:UNAVAILABLE")));

                kube.resource(bookinfo.service("details")).delete();
                await().atMost(MeshFixture.TIMEOUT).until(() -> !client.tally("details:9080", Map.of(), 1).containsKey("details v1"));
                assertThat(client.tally("productpage:9080", Map.of(), 5)).containsExactly(Map.entry("productpage v1", 5));
            } finally {
                istiod.interrupt();
                istiod.join(10_000);
            }
        }
    }

    private static boolean listening(int port) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
