package dev.mizzen.pilot.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Readable, stable JSON of generated xDS, for golden files. */
public final class XdsJson {
    /** every Envoy type of java-control-plane's api jar, as istiod reads EnvoyFilter patches */
    private static final JsonFormat.TypeRegistry TYPES = dev.mizzen.api.envoy.EnvoyTypes.registry();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(TYPES).sortingMapKeys();

    private XdsJson() {
    }

    /** The resources sorted by name, as one JSON array. */
    public static String print(List<XdsResource> resources) {
        return resources.stream()
                .sorted(Comparator.comparing(XdsResource::name))
                .map(r -> {
                    try {
                        return PRINTER.print(r.body());
                    } catch (InvalidProtocolBufferException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .collect(Collectors.joining(",\n", "[\n", "\n]\n"));
    }

    /** Compares with a golden file under src/test/resources, or rewrites it with -Dgolden.update=true. */
    public static void assertGolden(String resourcePath, String actual) {
        Path file = Path.of("src/test/resources", resourcePath);
        try {
            if (Boolean.getBoolean("golden.update") || !Files.exists(file)) {
                if (!Boolean.getBoolean("golden.update")) {
                    throw new AssertionError("golden file " + file + " is missing; run with -Dgolden.update=true");
                }
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual);
                return;
            }
            String expected = Files.readString(file);
            org.assertj.core.api.Assertions.assertThat(actual)
                    .as("generated xDS differs from %s (regenerate on purpose with -Dgolden.update=true)", file)
                    .isEqualTo(expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
