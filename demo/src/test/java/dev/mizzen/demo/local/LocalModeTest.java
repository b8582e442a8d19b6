package dev.mizzen.demo.local;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.demo.Bookinfo;
import dev.mizzen.demo.ProxylessClient;
import dev.mizzen.demo.testing.MeshFixture;
import dev.mizzen.istiod.local.LocalApiServer;
import dev.mizzen.istiod.local.LocalManifests;
import dev.mizzen.istiod.local.ManifestApplier;
import dev.mizzen.istiod.testing.TestIstiod;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code istiod --local DIR}: the YAML files of a directory are the cluster, and edits to them are applied. */
class LocalModeTest {
    @Test
    void filesAreServedAndEditsAreApplied(@TempDir Path dir) throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(LocalManifests.class)).addAppender(log);
        try (Bookinfo bookinfo = Bookinfo.start()) {
            Files.writeString(dir.resolve("bookinfo.yaml"), manifests(bookinfo));
            Files.writeString(dir.resolve("reviews.yaml"), MeshFixture.sample("destination-rule-all")
                    + "\n---\n" + MeshFixture.sample("virtual-service-reviews-v3"));
            Files.writeString(dir.resolve("broken.yaml"), "apiVersion: v1\nkind: Service\nmetadata:\n  name: [oops\n");
            // an Istio kind Mizzen does not serve (EnvoyFilter, once skipped here, is served now)
            Files.writeString(dir.resolve("unknown.yaml"), """
                    apiVersion: extensions.istio.io/v1alpha1
                    kind: TrafficExtension
                    metadata: {name: extra}
                    spec: {}
                    """);
            Files.writeString(dir.resolve("typo.yaml"), """
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: ratings}
                    spec:
                      hosts: [ratings]
                      http:
                      - route:
                        - destination: {host: ratings}
                          weigth: 100
                    """);
            try (LocalApiServer api = LocalApiServer.start();
                 LocalManifests manifests = new LocalManifests(dir, new ManifestApplier(api.client()))) {
                manifests.loadAll();
                manifests.watch();
                try (IstiodServer istiod = IstiodServer.start(TestIstiod.settings(), api.client());
                     ProxylessClient client = ProxylessClient.isolated(MeshFixture.bootstrap(istiod, "client", "default"))) {
                    await().atMost(MeshFixture.TIMEOUT).ignoreExceptions().until(() ->
                            client.tally("reviews:9080", Map.of(), 10).keySet().equals(Set.of("reviews v3")));
                    assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                            .anySatisfy(line -> assertThat(line).startsWith("broken.yaml:5:1: cannot read"))
                            .anySatisfy(line -> assertThat(line).startsWith("unknown.yaml:1:1: skipped").contains("TrafficExtension"))
                            // refused as the apiserver would refuse it, with where the problem is
                            .anySatisfy(line -> assertThat(line).isEqualTo("typo.yaml:9:7: VirtualService/default/ratings refused: "
                                    + "spec.http[0].route[0].weigth: unknown field \"weigth\"; did you mean \"weight\"?"));
                    assertThat(api.client().genericKubernetesResources("networking.istio.io/v1", "VirtualService")
                            .inNamespace("default").withName("ratings").get()).isNull();

                    Files.writeString(dir.resolve("reviews.yaml"), MeshFixture.sample("destination-rule-all")
                            + "\n---\n" + MeshFixture.sample("virtual-service-reviews-jason-v2-v3"));
                    await().atMost(MeshFixture.TIMEOUT).until(() ->
                            client.tally("reviews:9080", Map.of("end-user", "jason"), 10).keySet().equals(Set.of("reviews v2")));

                    Files.delete(dir.resolve("reviews.yaml"));
                    await().atMost(MeshFixture.TIMEOUT).until(() -> client.tally("reviews:9080", Map.of(), 30).keySet()
                            .equals(Set.of("reviews v1", "reviews v2", "reviews v3")));
                    assertThat(client.tally("ratings:9080", Map.of(), 5)).containsExactly(Map.entry("ratings v1", 5));
                }
            }
        }
    }

    /** Bookinfo's Services, Pods and EndpointSlices as one YAML file, as a user would write them. */
    private static String manifests(Bookinfo bookinfo) {
        List<HasMetadata> objects = new ArrayList<>();
        bookinfo.apps().forEach(app -> objects.add(bookinfo.service(app)));
        bookinfo.workloads().forEach(w -> objects.add(bookinfo.pod(w)));
        bookinfo.apps().forEach(app -> objects.add(bookinfo.endpointSlice(app, w -> true)));
        var serialization = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
        StringBuilder yaml = new StringBuilder();
        for (HasMetadata o : objects) {
            yaml.append(serialization.asYaml(o)).append("\n");
        }
        return yaml.toString();
    }
}
