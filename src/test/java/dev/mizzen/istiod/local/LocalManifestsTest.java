package dev.mizzen.istiod.local;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The files of a directory as the source of truth of the local apiserver. */
class LocalManifestsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    private static final LocalManifests.Settings SETTINGS = new LocalManifests.Settings(Duration.ofMillis(200), EPOCH);

    @Test
    void anObjectTwoFilesDefineStaysUntilNeitherDoes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.yaml"), configMap("shared", "from-a"));
        Files.writeString(dir.resolve("b.yaml"), configMap("shared", "from-b"));
        try (LocalApiServer api = LocalApiServer.start(); KubernetesClient loader = api.newLoaderClient();
             LocalManifests files = new LocalManifests(dir, new ManifestApplier(loader), SETTINGS)) {
            files.loadAll();
            files.watch();
            assertThat(value(api, "shared")).isEqualTo("from-a");

            Files.delete(dir.resolve("a.yaml"));
            // b.yaml still defines it: it stays, now as b.yaml says
            await().atMost(TIMEOUT).until(() -> "from-b".equals(value(api, "shared")));

            Files.delete(dir.resolve("b.yaml"));
            await().atMost(TIMEOUT).until(() -> api.client().configMaps().inNamespace("default").withName("shared").get() == null);
        }
    }

    @Test
    void aFileTruncatedAndRewrittenIsReadOnceItStopsChangingAndABrokenFileKeepsItsObjects(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("app.yaml");
        Files.writeString(file, configMap("app", "one"));
        try (LocalApiServer api = LocalApiServer.start(); KubernetesClient loader = api.newLoaderClient();
             LocalManifests files = new LocalManifests(dir, new ManifestApplier(loader), SETTINGS)) {
            files.loadAll();
            files.watch();
            List<Watcher.Action> events = new CopyOnWriteArrayList<>();
            try (var watch = api.client().configMaps().inNamespace("default").withName("app").watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, ConfigMap resource) {
                    events.add(action);
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            })) {
                // an editor that truncates, then writes the new content a moment later
                Files.writeString(file, "");
                Thread.sleep(50); // the writer's pause inside one save, shorter than the quiet period
                Files.writeString(file, configMap("app", "two"));
                await().atMost(TIMEOUT).until(() -> "two".equals(value(api, "app")));
                assertThat(events).doesNotContain(Watcher.Action.DELETED);

                // a file that does not parse keeps what it defined
                Files.writeString(file, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [broken\n");
                Files.writeString(dir.resolve("other.yaml"), configMap("other", "x"));
                await().atMost(TIMEOUT).until(() -> "x".equals(value(api, "other")));
                assertThat(value(api, "app")).isEqualTo("two");
                assertThat(events).doesNotContain(Watcher.Action.DELETED);
            }
        }
    }

    @Test
    void creationTimestampsFollowFileThenDocumentOrderAtEveryStart(@TempDir Path dir) throws Exception {
        // two VirtualServices for one host: Istio keeps the oldest; the loader makes "zzz" (first file) the older one,
        // where creation at one second's resolution would tie and let the name decide ("aaa")
        Files.writeString(dir.resolve("1-first.yaml"), configMap("padding", "p") + "---\n" + virtualService("zzz", "v1"));
        Files.writeString(dir.resolve("2-second.yaml"), virtualService("aaa", "v2"));
        Map<String, String> first = timestamps(dir);
        Map<String, String> second = timestamps(dir);
        assertThat(first).isEqualTo(second);
        assertThat(first).containsEntry("padding", EPOCH.toString())
                .containsEntry("zzz", EPOCH.plusSeconds(1).toString())
                .containsEntry("aaa", EPOCH.plusSeconds(2).toString());
    }

    private static Map<String, String> timestamps(Path dir) {
        try (LocalApiServer api = LocalApiServer.start(); KubernetesClient loader = api.newLoaderClient();
             LocalManifests files = new LocalManifests(dir, new ManifestApplier(loader), SETTINGS)) {
            files.loadAll();
            Map<String, String> out = new java.util.TreeMap<>();
            for (GenericKubernetesResource vs : api.client().genericKubernetesResources("networking.istio.io/v1",
                    "VirtualService").inNamespace("default").list().getItems()) {
                out.put(vs.getMetadata().getName(), vs.getMetadata().getCreationTimestamp());
            }
            ConfigMap padding = api.client().configMaps().inNamespace("default").withName("padding").get();
            out.put("padding", padding.getMetadata().getCreationTimestamp());
            return out;
        }
    }

    private static String value(LocalApiServer api, String name) {
        ConfigMap cm = api.client().configMaps().inNamespace("default").withName(name).get();
        return cm == null || cm.getData() == null ? null : cm.getData().get("value");
    }

    private static String configMap(String name, String value) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: %s}
                data: {value: "%s"}
                """.formatted(name, value);
    }

    private static String virtualService(String name, String subset) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: %s}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews, subset: %s}
                """.formatted(name, subset);
    }
}
