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
    private static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
            .add(Listener.getDescriptor()).add(RouteConfiguration.getDescriptor()).add(Cluster.getDescriptor())
            .add(ClusterLoadAssignment.getDescriptor()).add(HttpConnectionManager.getDescriptor())
            .add(HTTPFault.getDescriptor()).add(Router.getDescriptor()).add(CorsPolicy.getDescriptor())
            .add(PreviousHostsPredicate.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.getDescriptor())
            .build();
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
