package dev.mizzen.galley.manifest;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one reader of YAML and JSON manifests (multi-document), for {@code istiod validate}, local mode and
 * tests: each document becomes plain values (see {@link ManifestDocument}) that mean what the file says,
 * with the position of every key and item.
 *
 * <p>Why SnakeYAML Engine: it implements YAML 1.2 (JSON is a subset, so one reader takes both), resolves
 * anchors, aliases and merge keys rather than reading {@code *name} as the text "name" (Jackson's YAML
 * module does, so {@code host: *h} became the host "h"), keeps a line and column on every event, and lets
 * us bound what a document may cost. We compose its low-level parser events ourselves
 * ({@link EventComposer}, {@link ValueBuilder}) to refuse duplicate keys as kubectl does, to expand aliases
 * under {@link ReaderLimits}, to read a few go-yaml spellings as the apiserver does, and to point every
 * problem at {@code line:column}.
 *
 * <p>Scalars follow YAML 1.2's core schema: {@code yes}, {@code on} and {@code 1_000} are strings; the
 * apiserver's go-yaml (YAML 1.1) would read {@code yes} and {@code on} as true.
 *
 * <p>Thread-safe: immutable; each call reads on its own.
 */
public final class ManifestReader {
    private static final ManifestReader STANDARD = new ManifestReader(ReaderLimits.DEFAULT);

    private final ReaderLimits limits;
    private final LoadSettings settings;

    public ManifestReader(ReaderLimits limits) {
        this.limits = limits;
        this.settings = LoadSettings.builder()
                .setSchema(new CoreSchema())
                .setCodePointLimit(limits.maxDocumentCodePoints())
                .setUseMarks(true)
                .setParseComments(false)
                .build();
    }

    /** The reader with {@link ReaderLimits#DEFAULT}. */
    public static ManifestReader standard() {
        return STANDARD;
    }

    public ReaderLimits limits() {
        return limits;
    }

    /** Reads a file, at most {@link ReaderLimits#maxFileBytes()} of it. */
    public List<ManifestDocument> read(Path file) throws IOException, ManifestException {
        long size = Files.size(file);
        if (size > limits.maxFileBytes()) {
            throw new ManifestException(new Position(1, 1), "larger than " + limits.maxFileBytes() + " bytes");
        }
        return read(Files.readAllBytes(file));
    }

    /** Reads a stream to its end, at most {@link ReaderLimits#maxFileBytes()} of it. */
    public List<ManifestDocument> read(InputStream in) throws IOException, ManifestException {
        byte[] bytes = in.readNBytes(limits.maxFileBytes() + 1);
        if (bytes.length > limits.maxFileBytes()) {
            throw new ManifestException(new Position(1, 1), "larger than " + limits.maxFileBytes() + " bytes");
        }
        return read(bytes);
    }

    /** Reads bytes: UTF-8 (or UTF-16 with a byte-order mark), refusing bytes that are neither. */
    public List<ManifestDocument> read(byte[] bytes) throws ManifestException {
        return read(Utf8Text.decode(bytes));
    }

    /** Reads text; empty documents are skipped, a document that is not a mapping is refused. */
    public List<ManifestDocument> read(String text) throws ManifestException {
        List<ManifestDocument> documents = new ArrayList<>();
        SourceText source = new SourceText(text);
        Iterator<Event> events = new Parse(settings).parseString(text).iterator();
        EventComposer composer = null;
        Position documentStart = new Position(1, 1);
        try {
            while (events.hasNext()) {
                Event event = events.next();
                switch (event.getEventId()) {
                    case DocumentStart -> {
                        composer = new EventComposer(limits, source);
                        documentStart = EventComposer.position(event.getStartMark());
                    }
                    case DocumentEnd -> {
                        document(composer).ifPresent(documents::add);
                        composer = null;
                    }
                    default -> {
                        if (composer != null) {
                            composer.accept(event);
                        }
                    }
                }
            }
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() == null ? "not YAML" : e.getProblem().strip();
            String context = e.getContext() == null ? "" : e.getContext().strip() + "; ";
            throw new ManifestException(EventComposer.position(mark), context + problem, e);
        } catch (YamlEngineException e) {
            throw new ManifestException(documentStart, String.valueOf(e.getMessage()).strip(), e);
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    private Optional<ManifestDocument> document(EventComposer composer) throws ManifestException {
        if (composer == null || composer.root() == null) {
            return Optional.empty();
        }
        YamlNode root = composer.root();
        SourceMap sources = new SourceMap();
        Object value = new ValueBuilder(limits, sources).build(root, 1);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new ManifestException(root.position(), "a document must be a mapping (an object with apiVersion and"
                    + " kind), not a " + (value instanceof List<?> ? "list" : "scalar"));
        }
        return Optional.of(new ManifestDocument((Map<String, Object>) map, root.position(), sources));
    }
}
