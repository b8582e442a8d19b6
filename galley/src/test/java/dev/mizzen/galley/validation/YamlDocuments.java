package dev.mizzen.galley.validation;

import dev.mizzen.api.config.ConfigKind;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Test helper: the documents of YAML test resources, with their Istio kind when they have one. */
public final class YamlDocuments {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private YamlDocuments() {
    }

    /** One document of a multi-document file. */
    public record Doc(String file, int index, String apiVersion, String kind, String namespace, String name, JsonNode tree) {
        public Optional<ConfigKind<?>> configKind() {
            return ConfigKind.of(apiVersion, kind);
        }

        public JsonNode spec() {
            return tree.get("spec");
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
        try (InputStream in = YamlDocuments.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource);
            }
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(in)) {
                while (it.hasNext()) {
                    JsonNode doc = it.next();
                    if (doc == null || doc.isNull() || doc.isEmpty()) {
                        continue;
                    }
                    JsonNode meta = doc.path("metadata");
                    docs.add(new Doc(file, docs.size(), doc.path("apiVersion").asString(), doc.path("kind").asString(),
                            meta.path("namespace").asString("default"), meta.path("name").asString(), doc));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** Resource names of the YAML files in a classpath directory, sorted. */
    public static List<String> yamlFiles(String directory) {
        URL url = YamlDocuments.class.getClassLoader().getResource(directory);
        if (url == null) {
            throw new IllegalArgumentException("no resource directory " + directory);
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.map(p -> directory + "/" + p.getFileName())
                    .filter(name -> name.endsWith(".yaml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Istio documents of the Bookinfo samples (networking files and the platform file). */
    public static List<Doc> bookinfo() {
        List<String> files = new ArrayList<>(yamlFiles("istio/bookinfo/networking"));
        files.add("istio/bookinfo/platform/kube/bookinfo.yaml");
        return files.stream().flatMap(f -> documents(f).stream()).toList();
    }
}
