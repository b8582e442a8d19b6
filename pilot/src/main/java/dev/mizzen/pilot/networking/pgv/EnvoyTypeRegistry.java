package dev.mizzen.pilot.networking.pgv;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.envoyproxy.envoy.config.listener.v3.Listener;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the descriptor of any message type in java-control-plane's api jar by its full name or type URL,
 * so {@code Any} values (typed_config, typed_per_filter_config, ...) can be unpacked and walked.
 *
 * <p>The jar ships its {@code .proto} sources next to the generated classes: the index maps each proto
 * package to the generated outer classes of its files (from {@code java_package} and
 * {@code java_outer_classname}); a lookup loads those classes lazily and asks their file descriptors.
 * Thread-safe: the index is immutable after construction, lookups go through concurrent caches.
 */
public final class EnvoyTypeRegistry {
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
    private static final Pattern JAVA_PACKAGE = Pattern.compile("option\\s+java_package\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern OUTER_CLASS = Pattern.compile("option\\s+java_outer_classname\\s*=\\s*\"([^\"]+)\"");
    private static final List<String> WELL_KNOWN = List.of("AnyProto", "DurationProto", "TimestampProto",
            "StructProto", "WrappersProto", "EmptyProto", "FieldMaskProto");
    private static volatile EnvoyTypeRegistry envoy;

    private final Map<String, List<String>> outerClassesByPackage;
    private final Map<String, Descriptor> extra = new ConcurrentHashMap<>();
    private final Map<String, Optional<FileDescriptor>> files = new ConcurrentHashMap<>();
    private final Map<String, Optional<Descriptor>> found = new ConcurrentHashMap<>();

    private EnvoyTypeRegistry(Map<String, List<String>> outerClassesByPackage) {
        this.outerClassesByPackage = Map.copyOf(outerClassesByPackage);
    }

    /** The types of the jar that holds Envoy's generated protos (scanned once per JVM). */
    public static EnvoyTypeRegistry envoy() {
        if (envoy == null) {
            synchronized (EnvoyTypeRegistry.class) {
                if (envoy == null) {
                    envoy = scan(Listener.class);
                }
            }
        }
        return envoy;
    }

    /** Indexes the {@code .proto} files of the jar that holds {@code anchor}, plus protobuf's well-known types. */
    public static EnvoyTypeRegistry scan(Class<?> anchor) {
        Map<String, List<String>> index = new HashMap<>();
        WELL_KNOWN.forEach(outer -> index.computeIfAbsent("google.protobuf", k -> new ArrayList<>())
                .add("com.google.protobuf." + outer));
        try (JarFile jar = new JarFile(Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (entry.getName().endsWith(".proto")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        indexProto(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8), index);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return new EnvoyTypeRegistry(index);
    }

    /** Adds the message types of files that are not in the jar (for example our own filter configs). */
    public EnvoyTypeRegistry with(FileDescriptor... extraFiles) {
        for (FileDescriptor file : extraFiles) {
            file.getMessageTypes().forEach(this::addRecursively);
        }
        return this;
    }

    /** The descriptor for a full name or a type URL ({@code type.googleapis.com/envoy...}). */
    public Optional<Descriptor> find(String typeUrlOrName) {
        String name = typeUrlOrName.substring(typeUrlOrName.lastIndexOf('/') + 1);
        Descriptor known = extra.get(name);
        return known != null ? Optional.of(known) : found.computeIfAbsent(name, this::lookup);
    }

    /** Every file the index knows, loaded (slow: loads every generated outer class). */
    public List<FileDescriptor> files() {
        return outerClassesByPackage.values().stream().flatMap(List::stream).sorted()
                .map(this::file).flatMap(Optional::stream).toList();
    }

    private Optional<Descriptor> lookup(String fullName) {
        // The package is a prefix of the name; what follows is a message, possibly nested (Outer.Inner).
        for (int dot = fullName.lastIndexOf('.'); dot > 0; dot = fullName.lastIndexOf('.', dot - 1)) {
            List<String> outers = outerClassesByPackage.get(fullName.substring(0, dot));
            if (outers == null) {
                continue;
            }
            String[] relative = fullName.substring(dot + 1).split("\\.");
            for (String outer : outers) {
                Optional<Descriptor> d = file(outer).map(f -> find(f, relative));
                if (d.isPresent()) {
                    return d;
                }
            }
        }
        return Optional.empty();
    }

    private static Descriptor find(FileDescriptor file, String[] relative) {
        Descriptor d = file.findMessageTypeByName(relative[0]);
        for (int i = 1; d != null && i < relative.length; i++) {
            d = d.findNestedTypeByName(relative[i]);
        }
        return d;
    }

    private Optional<FileDescriptor> file(String outerClass) {
        return files.computeIfAbsent(outerClass, name -> {
            try {
                return Optional.of((FileDescriptor) Class.forName(name).getMethod("getDescriptor").invoke(null));
            } catch (ReflectiveOperationException | LinkageError e) {
                return Optional.empty(); // a file whose class is missing or did not load: its types stay unknown
            }
        });
    }

    private void addRecursively(Descriptor d) {
        extra.put(d.getFullName(), d);
        d.getNestedTypes().forEach(this::addRecursively);
    }

    private static void indexProto(String fileName, String text, Map<String, List<String>> index) {
        Matcher pkg = PACKAGE.matcher(text);
        if (!pkg.find()) {
            return;
        }
        Matcher javaPackage = JAVA_PACKAGE.matcher(text);
        Matcher outer = OUTER_CLASS.matcher(text);
        String prefix = (javaPackage.find() ? javaPackage.group(1) : pkg.group(1)) + ".";
        List<String> classes = index.computeIfAbsent(pkg.group(1), k -> new ArrayList<>());
        if (outer.find()) {
            classes.add(prefix + outer.group(1));
        } else {
            // protoc's default: the file name in CamelCase, "OuterClass" appended when a message has that name
            String base = camelCase(fileName.substring(fileName.lastIndexOf('/') + 1).replace(".proto", ""));
            classes.add(prefix + base);
            classes.add(prefix + base + "OuterClass");
        }
    }

    private static String camelCase(String snake) {
        StringBuilder out = new StringBuilder();
        boolean upper = true;
        for (char c : snake.toCharArray()) {
            if (c == '_' || c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = Character.isDigit(c);
            }
        }
        return out.toString();
    }
}
