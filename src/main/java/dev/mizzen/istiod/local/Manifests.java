package dev.mizzen.istiod.local;

import dev.mizzen.galley.manifest.ManifestDocument;
import dev.mizzen.galley.manifest.ManifestException;
import dev.mizzen.galley.manifest.ManifestReader;
import dev.mizzen.galley.manifest.Position;

import java.util.List;
import java.util.Map;

/**
 * Splits multi-document YAML (or JSON) into documents, each with the line it starts on; the reading is galley's
 * {@link ManifestReader} (aliases expanded, duplicate keys refused, positions kept).
 */
public final class Manifests {
    private Manifests() {
    }

    /** One document of a manifest file, and where its fields are written. */
    public record Document(Map<String, Object> content, int line, ManifestDocument source) {
        public Document(ManifestDocument source) {
            this(source.content(), source.start().line(), source);
        }

        public String apiVersion() {
            return source.apiVersion();
        }

        public String kind() {
            return source.kind();
        }

        public Map<String, Object> metadata() {
            return source.metadata();
        }

        public String name() {
            return source.name();
        }

        public String namespace() {
            return source.namespace();
        }
    }

    /** A manifest that cannot be read, with the line and column where reading failed. */
    public static final class ParseException extends Exception {
        private final transient Position position;

        ParseException(ManifestException cause) {
            super(cause.problem(), cause);
            this.position = cause.position();
        }

        public int line() {
            return position.line();
        }

        public Position position() {
            return position;
        }
    }

    /** Parses every document; empty documents are skipped. */
    public static List<Document> parse(String text) throws ParseException {
        try {
            return ManifestReader.standard().read(text).stream().map(Document::new).toList();
        } catch (ManifestException e) {
            throw new ParseException(e);
        }
    }

    /** Parses bytes (UTF-8, or UTF-16 with a byte-order mark); empty documents are skipped. */
    public static List<Document> parse(byte[] bytes) throws ParseException {
        try {
            return ManifestReader.standard().read(bytes).stream().map(Document::new).toList();
        } catch (ManifestException e) {
            throw new ParseException(e);
        }
    }
}
