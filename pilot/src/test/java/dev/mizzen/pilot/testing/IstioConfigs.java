package dev.mizzen.pilot.testing;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.ConfigMeta;
import dev.mizzen.api.config.SpecReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads Istio config from YAML test resources into typed configs, oldest first in document order. */
public final class IstioConfigs {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private IstioConfigs() {
    }

    /** Configs of the resources, in order; creation times increase with each document, as if applied one by one. */
    public static List<Config<?>> load(String namespace, String... resources) {
        List<Config<?>> out = new ArrayList<>();
        for (String resource : resources) {
            for (JsonNode doc : documents(resource)) {
                out.add(parse(doc, namespace, Instant.ofEpochSecond(1_000_000 + out.size())));
            }
        }
        return out;
    }

    public static Config<?> parse(String yaml, String namespace, Instant created) {
        return parse(YAML.readTree(yaml), namespace, created);
    }

    private static Config<?> parse(JsonNode doc, String namespace, Instant created) {
        ConfigKind kind = ConfigKind.of(doc.path("apiVersion").asString(), doc.path("kind").asString())
                .orElseThrow(() -> new IllegalArgumentException("not Istio config: " + doc));
        String ns = doc.path("metadata").path("namespace").asString(namespace);
        if (ns == null || ns.isEmpty()) {
            ns = namespace;
        }
        Object spec = SpecReader.read(kind, doc.get("spec"));
        return new Config<>(ConfigKey.of(kind, ns, doc.path("metadata").path("name").asString()),
                new ConfigMeta(Map.of(), Map.of(), created, "1", 1), spec);
    }

    private static List<JsonNode> documents(String resource) {
        List<JsonNode> docs = new ArrayList<>();
        try (InputStream in = IstioConfigs.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource);
            }
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(in)) {
                while (it.hasNext()) {
                    JsonNode doc = it.next();
                    if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                        docs.add(doc);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }
}
