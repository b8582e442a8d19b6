package dev.mizzen.pilot.xds.debug;

import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.networking.envoy.EnvoyGenerator;
import dev.mizzen.pilot.testing.BookinfoRegistry;
import dev.mizzen.pilot.testing.MemoryConfigStore;
import dev.mizzen.pilot.testing.Proxies;
import dev.mizzen.pilot.xds.PushSnapshot;
import dev.mizzen.pilot.xds.TypeUrls;
import dev.mizzen.pilot.xds.XdsResource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The config dump can print what a sidecar is sent, Istio's own proxy extensions (istio.stats) included. */
class EnvoyTypesTest {
    @Test
    void aSidecarsListenersPrintWithEveryPackedTypeResolved() {
        PushSnapshot push = PushSnapshot.fresh(PushContext.build(1, MeshSettings.DEFAULT, BookinfoRegistry.snapshot(),
                new MemoryConfigStore(List.of()).snapshot()));
        List<XdsResource> listeners = new EnvoyGenerator().generate(Proxies.sidecar("productpage-v1-abc", "10.1.0.1",
                "default", Map.of("app", "productpage")), push, TypeUrls.LISTENER, Set.of());

        String json = String.join("\n", listeners.stream().map(l -> EnvoyTypes.toJson(l.body())).toList());

        assertThat(json).contains("\"@type\": \"type.googleapis.com/stats.PluginConfig\"")
                .contains("type.googleapis.com/udpa.type.v1.TypedStruct");
    }
}
