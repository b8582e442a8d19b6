package dev.mizzen.api;

import dev.mizzen.api.config.ConfigKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Test helper: the YAML documents of test resources, split and tagged with their Istio kind. */
public final class IstioYaml {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private IstioYaml() {
    }

    /** One document of a multi-document file. */
    public record Doc(String file, int index, String apiVersion, String kind, String name, JsonNode spec) {
        public ConfigKind<?> configKind() {
            return ConfigKind.of(apiVersion, kind)
                    .orElseThrow(() -> new AssertionError(this + ": not an Istio kind we know"));
        }

        @Override
        public String toString() {
            return file + "#" + index + " " + kind + "/" + name;
        }
    }

    public static JsonNode tree(String yaml) {
        return YAML.readTree(yaml);
    }

    /** Every non-empty document of a classpath resource. */
    public static List<Doc> documents(String resource) {
        String file = resource.substring(resource.lastIndexOf('/') + 1);
        List<Doc> docs = new ArrayList<>();
        try (InputStream in = IstioYaml.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource);
            }
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(in)) {
                while (it.hasNext()) {
                    JsonNode doc = it.next();
                    if (doc == null || doc.isNull() || doc.isEmpty()) {
                        continue;
                    }
                    docs.add(new Doc(file, docs.size(), doc.path("apiVersion").asString(), doc.path("kind").asString(),
                            doc.path("metadata").path("name").asString(), doc.get("spec")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** The documents of {@code resource}, one of whose kind and name match. */
    public static Doc document(String resource, String kind, String name) {
        return documents(resource).stream()
                .filter(d -> d.kind().equals(kind) && d.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " in " + resource));
    }

    /** Resource names (directory + file) of the YAML files in a classpath directory, sorted. */
    public static List<String> yamlFiles(String directory) {
        URL url = IstioYaml.class.getClassLoader().getResource(directory);
        if (url == null) {
            throw new IllegalArgumentException("no resource directory " + directory);
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml"))
                    .sorted()
                    .map(n -> directory + "/" + n)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
