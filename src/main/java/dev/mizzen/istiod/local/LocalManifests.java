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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The YAML files of a directory as the source of truth of an apiserver, kept in step as they change:
 * <ul>
 *   <li>every object remembers which files define it; it is deleted only when no file does. When several files
 *       define one object, the first definition in file order (then document order) is the one applied, and the
 *       duplicate is logged;</li>
 *   <li>a file is read once it has stopped changing (size and modification time unchanged for the quiet period),
 *       so a file being truncated and rewritten, or written in pieces, is read once, whole;</li>
 *   <li>a file that cannot be read, or cannot be parsed, keeps its previous objects (reported with line and
 *       column); an Istio object that the apiserver and istiod's webhook would refuse (CRD schema, CEL rules,
 *       Istio's rules) keeps its previous version;</li>
 *   <li>an object created from a file gets the creation timestamp {@code epoch + n} seconds, where n is the position
 *       of its definition among all documents (file order, then document order): precedence among objects
 *       (the oldest VirtualService for a host wins, as in Istio) is the same after every restart.</li>
 * </ul>
 *
 * <p>Threading: one watcher thread reads and applies; {@link #loadAll()} runs before it starts; the state is
 * guarded by this object's monitor.
 */
public final class LocalManifests implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalManifests.class);

    /**
     * @param quiet how long a file must stay unchanged before it is read
     * @param epoch creation timestamps of objects from files count from here
     */
    public record Settings(Duration quiet, Instant epoch) {
        public static final Duration DEFAULT_QUIET = Duration.ofMillis(300);
        /** A fixed epoch, for callers without a state directory. */
        public static final Instant DEFAULT_EPOCH = Instant.parse("2025-01-01T00:00:00Z");
        public static final Settings DEFAULTS = new Settings(DEFAULT_QUIET, DEFAULT_EPOCH);

        public Settings {
            if (quiet.isNegative()) {
                throw new IllegalArgumentException("the quiet period cannot be negative");
            }
        }
    }

    /** One object as one document of one file defines it. */
    private record Definition(ManifestApplier.ObjectRef ref, Manifests.Document doc) {
    }

    /** What was last applied for an object. */
    private record Applied(ManifestApplier.ObjectRef ref, Map<String, Object> content, Path file) {
    }

    /** A changed file waiting to stop changing. */
    private static final class Pending {
        Object fingerprint;
        long since;

        Pending(Object fingerprint, long since) {
            this.fingerprint = fingerprint;
            this.since = since;
        }
    }

    private final Path dir;
    private final ManifestApplier applier;
    private final Settings settings;
    private final ObjectValidator validator = ObjectValidator.full();
    /** Each file's last good definitions, in document order; files in name order. */
    private final TreeMap<Path, List<Definition>> files = new TreeMap<>();
    private final Map<String, Applied> applied = new HashMap<>();
    private final Set<String> reportedDuplicates = new LinkedHashSet<>();
    private WatchService watcher;
    private Thread thread;

    public LocalManifests(Path dir, ManifestApplier applier) {
        this(dir, applier, Settings.DEFAULTS);
    }

    public LocalManifests(Path dir, ManifestApplier applier, Settings settings) {
        this.dir = dir;
        this.applier = applier;
        this.settings = settings;
    }

    /** Reads every manifest file of the directory, then applies the objects in file order, then document order. */
    public synchronized void loadAll() {
        for (Path file : manifestFiles()) {
            read(file);
        }
        reconcile(allIds());
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
        Map<Path, Pending> pending = new LinkedHashMap<>();
        long tick = Math.max(10, settings.quiet().toMillis() / 4);
        try {
            while (true) {
                WatchKey key = watcher.poll(tick, TimeUnit.MILLISECONDS);
                long now = System.nanoTime();
                if (key != null) {
                    for (WatchEvent<?> event : key.pollEvents()) {
                        if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                            synchronized (this) {
                                Stream.concat(files.keySet().stream(), manifestFiles().stream()).distinct()
                                        .forEach(f -> pending.put(f, new Pending(fingerprint(f), now)));
                            }
                        } else if (event.context() instanceof Path name && isManifest(dir.resolve(name))) {
                            Path file = dir.resolve(name);
                            pending.put(file, new Pending(fingerprint(file), now));
                        }
                    }
                    key.reset();
                }
                List<Path> settled = new ArrayList<>();
                for (var e : pending.entrySet()) {
                    Object fp = fingerprint(e.getKey());
                    if (!Objects.equals(fp, e.getValue().fingerprint)) {
                        e.getValue().fingerprint = fp;
                        e.getValue().since = now;
                    } else if (now - e.getValue().since >= settings.quiet().toNanos()) {
                        settled.add(e.getKey());
                    }
                }
                if (!settled.isEmpty()) {
                    settled.forEach(pending::remove);
                    changed(settled);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Size and modification time, or "absent": what tells a file still being written. */
    private static Object fingerprint(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(a.size(), a.lastModifiedTime().toMillis(), a.fileKey() == null ? "" : a.fileKey());
        } catch (IOException e) {
            return "absent";
        }
    }

    private synchronized void changed(List<Path> settled) {
        Set<String> touched = new LinkedHashSet<>();
        for (Path file : settled) {
            touched.addAll(ids(files.getOrDefault(file, List.of())));
            if (Files.exists(file)) {
                read(file);
            } else if (files.remove(file) != null) {
                LOG.info("{}: removed", name(file));
            }
            touched.addAll(ids(files.getOrDefault(file, List.of())));
        }
        reconcile(touched);
    }

    /** Reads a file into its definitions; on failure the file keeps its previous ones. */
    private void read(Path file) {
        String name = name(file);
        List<Manifests.Document> docs;
        try {
            docs = Manifests.parse(Files.readAllBytes(file));
        } catch (Manifests.ParseException e) {
            LOG.warn("{}:{}: cannot read, its objects stay as they were: {}", name, e.position(), e.getMessage());
            return;
        } catch (NoSuchFileException e) {
            files.remove(file);
            return;
        } catch (IOException e) {
            LOG.warn("{}: cannot read, its objects stay as they were: {}", name, e.getMessage());
            return;
        }
        List<Definition> before = files.getOrDefault(file, List.of());
        List<Definition> now = new ArrayList<>();
        for (Manifests.Document doc : docs) {
            ManifestApplier.ObjectRef ref;
            try {
                ref = applier.refOf(doc);
            } catch (IllegalArgumentException e) {
                LOG.warn("{}:{}: skipped: {}", name, doc.source().start(), e.getMessage());
                continue;
            }
            if (admissible(name, ref, doc)) {
                now.add(new Definition(ref, doc));
            } else {
                // refused as the apiserver would refuse it: the file's previous definition keeps serving
                before.stream().filter(d -> d.ref().id().equals(ref.id())).findFirst().ifPresent(now::add);
            }
        }
        files.put(file, now);
        LOG.info("{}: {} objects", name, now.size());
    }

    /**
     * Brings the objects with these ids in line with the files: each gets its first definition, or is deleted when no
     * file defines it; objects are written in the order of their definitions.
     */
    private void reconcile(Set<String> ids) {
        Map<String, Integer> firstIndex = new HashMap<>();
        Map<String, Definition> winner = new HashMap<>();
        Map<String, Path> winnerFile = new HashMap<>();
        Map<String, List<Path>> definedIn = new HashMap<>();
        int index = 0;
        for (var entry : files.entrySet()) {
            for (Definition d : entry.getValue()) {
                String id = d.ref().id();
                if (!firstIndex.containsKey(id)) {
                    firstIndex.put(id, index);
                    winner.put(id, d);
                    winnerFile.put(id, entry.getKey());
                }
                definedIn.computeIfAbsent(id, k -> new ArrayList<>()).add(entry.getKey());
                index++;
            }
        }
        List<String> ordered = new ArrayList<>(ids);
        ordered.sort((a, b) -> Integer.compare(firstIndex.getOrDefault(a, Integer.MAX_VALUE),
                firstIndex.getOrDefault(b, Integer.MAX_VALUE)));
        for (String id : ordered) {
            Definition d = winner.get(id);
            Applied was = applied.get(id);
            if (d == null) {
                if (was != null) {
                    try {
                        applier.delete(was.ref());
                        LOG.info("{}: deleted, no file defines it any more", was.ref());
                    } catch (RuntimeException e) {
                        LOG.warn("{}: cannot delete: {}", was.ref(), e.getMessage());
                    }
                    applied.remove(id);
                }
                continue;
            }
            List<Path> where = definedIn.get(id);
            if (where.size() > 1 && reportedDuplicates.add(id + where)) {
                LOG.warn("{} is defined in {}; the first, in {}, is applied", d.ref(),
                        where.stream().map(this::name).toList(), name(winnerFile.get(id)));
            }
            if (was != null && was.content().equals(d.doc().content()) && was.ref().equals(d.ref())) {
                continue;
            }
            Instant created = settings.epoch().plusSeconds(firstIndex.get(id));
            try {
                applier.apply(d.doc(), Optional.of(created));
                applied.put(id, new Applied(d.ref(), d.doc().content(), winnerFile.get(id)));
            } catch (IllegalArgumentException e) {
                LOG.warn("{}:{}: skipped: {}", name(winnerFile.get(id)), d.doc().source().start(), e.getMessage());
            }
        }
    }

    private Set<String> allIds() {
        Set<String> ids = new LinkedHashSet<>(applied.keySet());
        files.values().forEach(defs -> ids.addAll(ids(defs)));
        return ids;
    }

    private static List<String> ids(List<Definition> definitions) {
        return definitions.stream().map(d -> d.ref().id()).toList();
    }

    /**
     * Istio config passes what the apiserver and istiod's webhook would check (the CRD schema, its CEL rules,
     * Istio's rules); each finding is logged where it is written.
     */
    private boolean admissible(String file, ManifestApplier.ObjectRef ref, Manifests.Document doc) {
        ObjectValidator.Verdict verdict = validator.validate(doc.content());
        for (Finding finding : verdict.findings()) {
            Position at = finding.path().equals("(object)") ? doc.source().start() : doc.source().position(finding.path());
            if (finding.isError()) {
                LOG.warn("{}:{}: {} refused: {}", file, at, ref, finding);
            } else {
                LOG.info("{}:{}: {} warning: {}", file, at, ref, finding);
            }
        }
        return !verdict.hasErrors();
    }

    private String name(Path file) {
        return dir.relativize(file).toString();
    }

    private List<Path> manifestFiles() {
        try (Stream<Path> list = Files.list(dir)) {
            return new ArrayList<>(list.filter(f -> Files.isRegularFile(f) && isManifest(f)).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
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
