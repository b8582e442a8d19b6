package dev.mizzen.istiod.local;

import dev.mizzen.galley.manifest.Position;
import dev.mizzen.galley.pipeline.ObjectValidator;
import dev.mizzen.galley.validation.Finding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Seeds an apiserver from the YAML files of a directory and keeps it in step: a changed file is applied
 * again (objects it no longer holds are deleted), a removed file's objects are deleted. A file that cannot
 * be read is reported with its name, line and column and skipped; what it held before keeps serving. Istio
 * config is checked first as the apiserver and istiod's webhook would check it (CRD schema, CEL rules, Istio's
 * rules): an object with errors is refused with each error's position, and its previous version keeps serving.
 *
 * <p>Threading: one watcher thread applies changes; {@link #loadAll()} runs before it starts.
 */
public final class LocalManifests implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalManifests.class);

    private final Path dir;
    private final ManifestApplier applier;
    private final ObjectValidator validator = ObjectValidator.full();
    private final Map<Path, Set<ManifestApplier.ObjectRef>> applied = new HashMap<>();
    private WatchService watcher;
    private Thread thread;

    public LocalManifests(Path dir, ManifestApplier applier) {
        this.dir = dir;
        this.applier = applier;
    }

    /** Applies every manifest file of the directory, in name order. */
    public synchronized void loadAll() {
        for (Path file : manifestFiles()) {
            applyFile(file);
        }
    }

    /** Starts watching the directory for changes. */
    public synchronized void watch() {
        try {
            watcher = FileSystems.getDefault().newWatchService();
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + dir, e);
        }
        thread = new Thread(this::run, "mizzen-local-manifests");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                Set<Path> changed = new LinkedHashSet<>();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.context() instanceof Path name) {
                        changed.add(dir.resolve(name));
                    }
                }
                key.reset();
                synchronized (this) {
                    for (Path file : changed) {
                        if (!isManifest(file)) {
                            continue;
                        }
                        if (Files.exists(file)) {
                            applyFile(file);
                        } else {
                            removeFile(file);
                        }
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void applyFile(Path file) {
        String name = dir.relativize(file).toString();
        List<Manifests.Document> docs;
        try {
            docs = Manifests.parse(Files.readAllBytes(file));
        } catch (Manifests.ParseException e) {
            LOG.warn("{}:{}: cannot read, skipped: {}", name, e.position(), e.getMessage());
            return;
        } catch (IOException e) {
            LOG.warn("{}: cannot read, skipped: {}", name, e.getMessage());
            return;
        }
        Set<ManifestApplier.ObjectRef> before = applied.getOrDefault(file, Set.of());
        Set<ManifestApplier.ObjectRef> now = new LinkedHashSet<>();
        for (Manifests.Document doc : docs) {
            if (!admissible(name, doc)) {
                // refused as the apiserver would refuse it: what was applied before keeps serving
                before.stream().filter(ref -> ref.kind().equals(doc.kind()) && ref.name().equals(doc.name())
                        && ref.namespace().equals(namespace(doc))).forEach(now::add);
                continue;
            }
            try {
                now.add(applier.apply(doc));
            } catch (IllegalArgumentException e) {
                LOG.warn("{}:{}: skipped: {}", name, doc.source().start(), e.getMessage());
            }
        }
        for (ManifestApplier.ObjectRef gone : before) {
            if (!now.contains(gone)) {
                applier.delete(gone);
            }
        }
        applied.put(file, now);
        LOG.info("{}: applied {} objects", name, now.size());
    }

    /**
     * Istio config passes what the apiserver and istiod's webhook would check (the CRD schema, its CEL rules,
     * Istio's rules); each finding is logged where it is written.
     */
    private boolean admissible(String file, Manifests.Document doc) {
        ObjectValidator.Verdict verdict = validator.validate(doc.content());
        String object = doc.kind() + "/" + namespace(doc) + "/" + doc.name();
        for (Finding finding : verdict.findings()) {
            Position at = finding.path().equals("(object)") ? doc.source().start() : doc.source().position(finding.path());
            if (finding.isError()) {
                LOG.warn("{}:{}: {} refused: {}", file, at, object, finding);
            } else {
                LOG.info("{}:{}: {} warning: {}", file, at, object, finding);
            }
        }
        return !verdict.hasErrors();
    }

    private static String namespace(Manifests.Document doc) {
        return doc.namespace() == null ? "default" : doc.namespace();
    }

    private void removeFile(Path file) {
        Set<ManifestApplier.ObjectRef> gone = applied.remove(file);
        if (gone != null) {
            gone.forEach(applier::delete);
            LOG.info("{}: removed, deleted {} objects", dir.relativize(file), gone.size());
        }
    }

    private List<Path> manifestFiles() {
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(files.filter(LocalManifests::isManifest).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                LOG.debug("closing the watcher", e);
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
