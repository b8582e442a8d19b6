package dev.mizzen.pilot.inject;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings come from the shipped defaults overlaid by the cluster's (or a local file's) config. */
class InjectionSettingsTest {
    @Test
    void defaultsAreIstiosAndComeFromResources() {
        InjectionSettings s = InjectionSettings.defaults();

        assertThat(s.templates()).containsOnlyKeys("sidecar", "gateway", "grpc-simple", "grpc-agent");
        assertThat(s.config().ignoredNamespaces()).contains("kube-system", "kube-public");
        assertThat(s.values().at("/global/proxy/statusPort").asInt()).isEqualTo(15020);
        assertThat(s.layout()).isEqualTo(SidecarLayout.NATIVE);
    }

    @Test
    void overlaysMergeOntoDefaults() {
        InjectionSettings s = InjectionSettings.fromSources(
                "policy: disabled\ntemplates:\n  mine: 'metadata: {labels: {x: y}}'\n",
                "global:\n  hub: registry.example/istio\n  proxy: {logLevel: debug}\n",
                "trustDomain: example.org\n");

        assertThat(s.config().policy()).isEqualTo(InjectionConfig.Policy.DISABLED);
        assertThat(s.templates()).containsKeys("sidecar", "grpc-agent", "mine");
        assertThat(s.values().at("/global/hub").asString()).isEqualTo("registry.example/istio");
        assertThat(s.values().at("/global/proxy/logLevel").asString()).isEqualTo("debug");
        assertThat(s.values().at("/global/proxy/statusPort").asInt()).as("kept from defaults").isEqualTo(15020);
        assertThat(s.meshConfig().at("/trustDomain").asString()).isEqualTo("example.org");
    }

    @Test
    void changedHubAndTagReachThePod() {
        InjectionSettings s = InjectionSettings.defaults().withValues("global: {hub: registry.example/istio, tag: 9.9.9}");
        InjectionResult result = new SidecarInjector(s).inject(Fixtures.webhook(Fixtures.pod("{}", "{}"),
                Map.of("istio-injection", "enabled")));

        assertThat(((InjectionResult.Injected) result).pod().toString())
                .contains("\"image\":\"registry.example/istio/proxyv2:9.9.9\"");
    }

    @Test
    void badSettingsFailAtStart() {
        assertThatThrownBy(() -> InjectionSettings.fromSources("policy: sometimes", null, null))
                .hasMessageContaining("policy 'sometimes' must be enabled or disabled");
        assertThatThrownBy(() -> InjectionSettings.fromSources(null, "global: [", null))
                .hasMessageContaining("values is not valid YAML");
        assertThatThrownBy(() -> new SidecarInjector(InjectionSettings.defaults()
                .withInjectConfig("templates: {bad: '{% if %}'}")))
                .hasMessageContaining("injection template 'bad' does not compile");
    }
}
