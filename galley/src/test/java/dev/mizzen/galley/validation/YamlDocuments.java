package dev.mizzen.galley.validation;

import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.SpecReader;
import dev.mizzen.galley.manifest.ManifestDocument;
import dev.mizzen.galley.manifest.ManifestException;
import dev.mizzen.galley.manifest.ManifestReader;
import tools.jackson.databind.JsonNode;

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

/**
 * Test helper: the documents of YAML test resources, read with the reader istiod uses ({@link ManifestReader}),
 * with their Istio kind when they have one.
 */
public final class YamlDocuments {
    private YamlDocuments() {
    }

    /** One document of a multi-document file; {@code tree} is the same content as a Jackson tree. */
    public record Doc(String file, int index, String apiVersion, String kind, String namespace, String name, JsonNode tree,
                      ManifestDocument source) {
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
        try {
            List<ManifestDocument> docs = ManifestReader.standard().read(yaml);
            return docs.isEmpty() ? SpecReader.mapper().nullNode() : SpecReader.mapper().valueToTree(docs.get(0).content());
        } catch (ManifestException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Every non-empty document of a classpath resource. */
    public static List<Doc> documents(String resource) {
        String file = resource.substring(resource.lastIndexOf('/') + 1);
        List<Doc> docs = new ArrayList<>();
        try (InputStream in = YamlDocuments.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource);
            }
            for (ManifestDocument doc : ManifestReader.standard().read(in)) {
                if (doc.content().isEmpty()) {
                    continue;
                }
                JsonNode tree = SpecReader.mapper().valueToTree(doc.content());
                docs.add(new Doc(file, docs.size(), doc.apiVersion(), doc.kind(),
                        doc.namespace() == null ? "default" : doc.namespace(), doc.name(), tree, doc));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ManifestException e) {
            throw new IllegalArgumentException(resource + ":" + e.getMessage(), e);
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
