package dev.mizzen.citadel.rootcert;

import dev.mizzen.citadel.Citadel;
import dev.mizzen.citadel.CitadelSettings;
import dev.mizzen.citadel.testing.FakeApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** istio-ca-root-cert is in every namespace, and stays there as the CA says. */
class RootCertPublisherTest {
    private FakeApiServer api;
    private Citadel citadel;

    @BeforeEach
    void start() {
        api = FakeApiServer.start("istio-system", "bookinfo", "default");
        citadel = api.own(Citadel.start(CitadelSettings.defaults("istio-system"), api.client(), new SimpleMeterRegistry()));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void everyNamespaceGetsTheRoots() {
        for (String ns : new String[] {"istio-system", "bookinfo", "default"}) {
            await().untilAsserted(() -> assertThat(published(ns)).isEqualTo(citadel.rootsPem()));
        }
        assertThat(configMap("bookinfo").getMetadata().getLabels()).containsEntry("istio.io/config", "true");
    }

    @Test
    void aNewNamespaceGetsThem() {
        api.createNamespace("late");

        await().untilAsserted(() -> assertThat(published("late")).isEqualTo(citadel.rootsPem()));
    }

    @Test
    void aDeletedCopyComesBack() {
        await().untilAsserted(() -> assertThat(published("bookinfo")).isEqualTo(citadel.rootsPem()));

        api.client().configMaps().inNamespace("bookinfo").withName(RootCertPublisher.CONFIG_MAP).delete();

        await().untilAsserted(() -> assertThat(published("bookinfo")).isEqualTo(citadel.rootsPem()));
    }

    @Test
    void anEditedCopyIsRestored() {
        await().untilAsserted(() -> assertThat(published("default")).isEqualTo(citadel.rootsPem()));

        api.client().configMaps().inNamespace("default").withName(RootCertPublisher.CONFIG_MAP)
                .edit(cm -> {
                    cm.setData(Map.of(RootCertPublisher.KEY, "-----BEGIN CERTIFICATE-----\nbogus\n-----END CERTIFICATE-----\n"));
                    return cm;
                });

        await().untilAsserted(() -> assertThat(published("default")).isEqualTo(citadel.rootsPem()));
    }

    private String published(String namespace) {
        ConfigMap cm = configMap(namespace);
        return cm == null || cm.getData() == null ? null : cm.getData().get(RootCertPublisher.KEY);
    }

    private ConfigMap configMap(String namespace) {
        return api.client().configMaps().inNamespace(namespace).withName(RootCertPublisher.CONFIG_MAP).get();
    }
}
