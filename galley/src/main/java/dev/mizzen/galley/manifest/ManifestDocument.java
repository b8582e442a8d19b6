package dev.mizzen.galley.manifest;

import java.util.Map;
import java.util.Objects;

/**
 * One document of a manifest as plain values, the shape the apiserver's unstructured objects have:
 * {@code Map<String, Object>}, {@code List<Object>}, {@code String}, {@code Integer} (or {@code Long} past 32
 * bits, {@code BigInteger} past 64, as Jackson reads JSON), {@code Double}, {@code Boolean} and null; with where
 * each key and list item is written.
 *
 * @param content the document's top-level mapping, in file order
 * @param start   where the document's content begins
 * @param sources the position of every key and item of {@code content}
 */
public record ManifestDocument(Map<String, Object> content, Position start, SourceMap sources) {
    public ManifestDocument {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(sources, "sources");
    }

    public String apiVersion() {
        return content.get("apiVersion") instanceof String s ? s : null;
    }

    public String kind() {
        return content.get("kind") instanceof String s ? s : null;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> metadata() {
        return content.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    public String name() {
        return metadata().get("name") instanceof String s ? s : null;
    }

    public String namespace() {
        return metadata().get("namespace") instanceof String s ? s : null;
    }

    /**
     * Where the field at {@code path} (Istio's form, {@code spec.http[0].route[1].weight}; map entries as
     * {@code .key} or {@code [key]}) is written; for a field that is absent, where its nearest present parent is.
     */
    public Position position(String path) {
        return sources.find(content, path).orElse(start);
    }
}
