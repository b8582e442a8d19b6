package dev.mizzen.api.envoy;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The Envoy message types an {@code Any} ({@code "@type": "type.googleapis.com/..."}) may name in config we
 * read as JSON (EnvoyFilter patches, WasmPlugin and telemetry configs): every message of every proto file
 * java-control-plane's api jar generates under {@code envoy.config}, {@code envoy.extensions},
 * {@code envoy.type}, {@code envoy.data}, {@code xds.*} and {@code udpa.*}, but Envoy's frozen v2 API (Istio's own
 * build registers every v3 Envoy extension the same way, through its generated import list); and Istio's stats
 * filter config ({@code stats.PluginConfig}, compiled here from Istio's proto). Istio's other proxy filters
 * (metadata exchange, peer metadata) are configured through {@code udpa.type.v1.TypedStruct}, as Istio does.
 *
 * <p>The files are found by listing the jar the Envoy classes were loaded from (or the directory, in tests) for
 * the generated outer classes ({@code *Proto}, {@code *OuterClass}); loading them is done once, lazily, on the
 * first call (about 600 files). Thread-safe: the holder idiom publishes the immutable registry.
 */
public final class EnvoyTypes {
    private static final List<String> PACKAGES = List.of("io/envoyproxy/envoy/config/", "io/envoyproxy/envoy/extensions/",
            "io/envoyproxy/envoy/type/", "io/envoyproxy/envoy/data/", "com/github/xds/", "com/github/udpa/");

    private EnvoyTypes() {
    }

    private static final class Holder {
        static final Loaded LOADED = load();
    }

    private record Loaded(JsonFormat.TypeRegistry registry, List<String> files) {
    }

    /** The registry for {@link JsonFormat}'s parser and printer. */
    public static JsonFormat.TypeRegistry registry() {
        return Holder.LOADED.registry();
    }

    /** The proto files whose messages the registry knows, sorted: what "the Envoy types we support" means. */
    public static List<String> files() {
        return Holder.LOADED.files();
    }

    /** The message a type URL names, when the registry knows it. */
    public static Optional<Descriptor> find(String typeUrl) {
        return Optional.ofNullable(registry().find(typeUrl.substring(typeUrl.lastIndexOf('/') + 1)));
    }

    private static Loaded load() {
        JsonFormat.TypeRegistry.Builder builder = JsonFormat.TypeRegistry.newBuilder();
        TreeSet<String> files = new TreeSet<>();
        ClassLoader loader = Cluster.class.getClassLoader();
        for (String className : outerClasses()) {
            try {
                Method getDescriptor = Class.forName(className, false, loader).getMethod("getDescriptor");
                if (getDescriptor.invoke(null) instanceof FileDescriptor file) {
                    builder.add(file.getMessageTypes());
                    files.add(file.getName());
                }
            } catch (ReflectiveOperationException | LinkageError e) {
                // not a generated outer class after all, or one whose dependencies this jar lacks: not a type we know
            }
        }
        // Istio's proxy filters that Envoy's jar does not know: their configs are typed too (stats.PluginConfig)
        builder.add(dev.mizzen.api.proxy.stats.StatsConfigProto.getDescriptor().getMessageTypes());
        files.add(dev.mizzen.api.proxy.stats.StatsConfigProto.getDescriptor().getName());
        return new Loaded(builder.build(), List.copyOf(files));
    }

    private static List<String> outerClasses() {
        List<String> out = new ArrayList<>();
        try {
            Path source = Path.of(Cluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(source)) {
                try (Stream<Path> walk = Files.walk(source)) {
                    walk.map(p -> source.relativize(p).toString().replace('\\', '/')).forEach(name -> addIfOuter(name, out));
                }
            } else {
                try (JarFile jar = new JarFile(source.toFile())) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        addIfOuter(e.nextElement().getName(), out);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list Envoy's proto classes", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate Envoy's proto classes", e);
        }
        return out;
    }

    private static void addIfOuter(String entry, List<String> out) {
        if (!entry.endsWith("Proto.class") && !entry.endsWith("OuterClass.class") || entry.contains("$")) {
            return;
        }
        // Envoy's frozen v2 API: Istio no longer knows it either, so a patch naming it is refused
        boolean v2 = entry.startsWith("io/envoyproxy/") && (entry.contains("/v2/") || entry.contains("/v2alpha"));
        if (!v2 && PACKAGES.stream().anyMatch(entry::startsWith)) {
            out.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
        }
    }
}
