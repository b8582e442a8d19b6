package dev.mizzen.pilot.networking.envoyfilter;

import com.google.protobuf.Message;
import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.ConfigMeta;
import dev.mizzen.api.config.SpecReader;
import dev.mizzen.api.envoy.PatchObjects;
import dev.mizzen.api.networking.EnvoyFilter;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Istio's own EnvoyFilter tests (pilot/pkg/networking/core/envoyfilter/*_test.go, transcribed into
 * {@code envoyfilter/istio/*.yaml}; see SOURCES.txt there): the same EnvoyFilters, in the same order, applied
 * to the same input, give the same output, compared as proto-JSON with every {@code Any} spelled out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IstioEnvoyFilterTestdataTest {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final Map<String, String> PROXY_METADATA = Map.of("ISTIO_VERSION", "1.2.2", "foo", "sidecar", "bar", "proxy");

    static Stream<Arguments> clusterCases() {
        return cases("cluster_patch.yaml");
    }

    static Stream<Arguments> routeCases() {
        return cases("route_patch.yaml");
    }

    static Stream<Arguments> listenerCases() {
        return cases("listener_patch.yaml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusterCases")
    void clusterPatching(String name, ProxyPatches patches, JsonNode c) {
        PatchContext context = PatchContext.valueOf(c.path("context").asString());
        List<String> hosts = strings(c.path("hosts"));
        List<Cluster> out = ClusterPatcher.apply(patches, list(c.path("input"), Cluster::newBuilder), x -> context, hosts,
                context, new PatchLog());

        assertSame(out, list(c.path("output"), Cluster::newBuilder));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeCases")
    void routeConfigurationPatching(String name, ProxyPatches patches, JsonNode c) {
        PatchContext context = PatchContext.valueOf(c.path("context").asString());
        RouteConfiguration out = RoutePatcher.apply(patches, message(c.path("input"), RouteConfiguration::newBuilder),
                context, new PatchLog());

        assertSame(List.of(out), List.of(message(c.path("output"), RouteConfiguration::newBuilder)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("listenerCases")
    void listenerPatching(String name, ProxyPatches patches, JsonNode c) {
        PatchContext context = PatchContext.valueOf(c.path("context").asString());
        List<Listener> out = ListenerPatcher.apply(patches, list(c.path("input"), Listener::newBuilder), context,
                new PatchLog());

        assertSame(out, list(c.path("output"), Listener::newBuilder));
    }

    @Test
    void clusterMatches() {
        for (JsonNode row : matches("cluster_patch.yaml")) {
            ConfigPatch cp = patch("CLUSTER", row.path("match"));
            Cluster cluster = Cluster.newBuilder().setName(row.path("cluster").asString()).build();
            assertThat(ClusterPatcher.matches(cluster, cp, strings(row.path("hosts"))))
                    .as(row.path("name").asString()).isEqualTo(row.path("want").asBoolean());
        }
    }

    @Test
    void routeMatches() {
        for (JsonNode row : matches("route_patch.yaml")) {
            ConfigPatch cp = patch("HTTP_ROUTE", row.path("match"));
            boolean got;
            if (row.has("routeConfiguration")) {
                got = RoutePatcher.routeConfigurationMatch(PatchContext.valueOf(row.path("context").asString()),
                        RouteConfiguration.newBuilder().setName(row.path("routeConfiguration").asString()).build(), cp);
            } else if (row.has("virtualHost")) {
                got = RoutePatcher.virtualHostMatch(message(row.path("virtualHost"), VirtualHost::newBuilder), cp);
            } else {
                got = RoutePatcher.routeMatch(message(row.path("route"), Route::newBuilder), cp);
            }
            assertThat(got).as(row.path("name").asString()).isEqualTo(row.path("want").asBoolean());
        }
    }

    /** The number of Istio's cases reproduced, for the record (the rest are listed in SOURCES.txt). */
    @Test
    void theCountIsKnown() {
        long cases = Stream.of("cluster_patch.yaml", "route_patch.yaml", "listener_patch.yaml")
                .flatMap(IstioEnvoyFilterTestdataTest::cases).count();
        long matches = matches("cluster_patch.yaml").size() + matches("route_patch.yaml").size();
        System.out.printf("Istio EnvoyFilter testdata: %d patching cases, %d match rows%n", cases, matches);
        assertThat(cases).isEqualTo(15);
        assertThat(matches).isEqualTo(18);
    }

    private static void assertSame(List<? extends Message> actual, List<? extends Message> expected) {
        assertThat(actual.stream().map(PatchObjects::toJson).toList())
                .containsExactlyElementsOf(expected.stream().map(PatchObjects::toJson).toList());
    }

    static Stream<Arguments> cases(String file) {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode doc : documents(file)) {
            if (!doc.has("cases")) {
                continue;
            }
            ProxyPatches patches = patches(doc);
            for (JsonNode c : doc.path("cases")) {
                out.add(Arguments.of(c.path("name").asString(), patches, c));
            }
        }
        return out.stream();
    }

    /** One EnvoyFilter per patch, as Istio's test builds them: test-envoyfilter-N, created in order. */
    static ProxyPatches patches(JsonNode doc) {
        List<Config<EnvoyFilter>> filters = new ArrayList<>();
        JsonNode list = doc.path("filters");
        for (int i = 0; i < list.size(); i++) {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("configPatches", List.of(JSON.convertValue(list.get(i), Map.class)));
            if (doc.has("priorities")) {
                spec.put("priority", doc.path("priorities").get(i).asInt());
            }
            EnvoyFilter filter = SpecReader.read(ConfigKind.ENVOY_FILTER, spec);
            filters.add(new Config<>(ConfigKey.of(ConfigKind.ENVOY_FILTER, "not-default", "test-envoyfilter-" + i),
                    new ConfigMeta(Map.of(), Map.of(), Instant.ofEpochSecond(1_000 + i), "1", 1), filter));
        }
        ProxyPatches patches = EnvoyFilterIndex.build(filters, "istio-system").forProxy("not-default", Map.of(), PROXY_METADATA);
        assertThat(patches.isEmpty()).isFalse();
        return patches;
    }

    private static ConfigPatch patch(String applyTo, JsonNode match) {
        Map<String, Object> spec = Map.of("configPatches", List.of(Map.of("applyTo", applyTo,
                "match", JSON.convertValue(match, Map.class), "patch", Map.of("operation", "REMOVE"))));
        EnvoyFilter filter = SpecReader.read(ConfigKind.ENVOY_FILTER, spec);
        return EnvoyFilterIndex.build(List.of(new Config<>(ConfigKey.of(ConfigKind.ENVOY_FILTER, "ns", "f"),
                        ConfigMeta.empty(), filter)), "istio-system")
                .forProxy("ns", Map.of(), Map.of()).get(ConfigPatch.ApplyTo.valueOf(applyTo)).get(0);
    }

    private static List<JsonNode> matches(String file) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode doc : documents(file)) {
            doc.path("matches").forEach(out::add);
        }
        return out;
    }

    private static <M extends Message> List<M> list(JsonNode array, Supplier<Message.Builder> builder) {
        List<M> out = new ArrayList<>();
        for (JsonNode node : array) {
            out.add(message(node, builder));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static <M extends Message> M message(JsonNode node, Supplier<Message.Builder> builder) {
        Message.Builder b = builder.get();
        try {
            PatchObjects.merge(b, JSON.convertValue(node, Object.class), PatchObjects.Strictness.STRICT);
        } catch (PatchObjects.InvalidPatchValue e) {
            throw new IllegalArgumentException(e.getMessage() + " in " + node, e);
        }
        return (M) b.build();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    static List<JsonNode> documents(String file) {
        List<JsonNode> docs = new ArrayList<>();
        try (InputStream in = IstioEnvoyFilterTestdataTest.class.getResourceAsStream("/envoyfilter/istio/" + file);
             MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(in)) {
            while (it.hasNext()) {
                docs.add(it.next());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        return docs;
    }
}
