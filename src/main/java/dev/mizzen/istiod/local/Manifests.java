package dev.mizzen.istiod.local;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Splits multi-document YAML (or JSON) into documents, each with the line it starts on. */
public final class Manifests {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private Manifests() {
    }

    /** One document of a manifest file. */
    public record Document(Map<String, Object> content, int line) {
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
    }

    /** A manifest that cannot be read, with the line where reading failed. */
    public static final class ParseException extends Exception {
        private final int line;

        ParseException(int line, String message, Throwable cause) {
            super(message, cause);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    /** Parses every document; empty documents are skipped. */
    @SuppressWarnings("unchecked")
    public static List<Document> parse(String text) throws ParseException {
        List<Document> out = new ArrayList<>();
        try (MappingIterator<Object> it = YAML.readerFor(Object.class).readValues(text)) {
            while (true) {
                int line = lineOf(it.currentLocation());
                if (!it.hasNextValue()) {
                    break;
                }
                Object doc = it.nextValue();
                if (doc == null) {
                    continue;
                }
                if (!(doc instanceof Map<?, ?> map)) {
                    throw new ParseException(line, "document is not a mapping", null);
                }
                out.add(new Document((Map<String, Object>) map, Math.max(1, line)));
            }
        } catch (JacksonException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ParseException(line, e.getOriginalMessage(), e);
        }
        return out;
    }

    private static int lineOf(TokenStreamLocation location) {
        return location == null ? 0 : location.getLineNr();
    }
}
