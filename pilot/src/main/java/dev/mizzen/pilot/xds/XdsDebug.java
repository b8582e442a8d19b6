package dev.mizzen.pilot.xds;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.mizzen.api.identity.SpiffeId;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.xds.debug.ConfigDumps;
import io.envoyproxy.envoy.admin.v3.UpdateFailureState;
import io.envoyproxy.envoy.config.core.v3.ControlPlane;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.status.v3.ClientConfig;
import io.envoyproxy.envoy.service.status.v3.ConfigStatus;
import io.grpc.Status;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * istiod's debug information over xDS, as Istio serves it to {@code istioctl} ({@code pilot/pkg/xds/statusgen.go}
 * and {@code debuggen.go}): one answer per request, never a subscription.
 * <ul>
 *   <li>{@code istio.io/debug/syncz}: one Envoy CSDS {@code ClientConfig} per connected proxy (node id, its
 *       CLUSTER_ID, NAMESPACE and ISTIO_VERSION, and per type SYNCED, NOT_SENT, STALE or ERROR with the time of
 *       the last response), and the control plane's identity: what {@code istioctl proxy-status} prints.</li>
 *   <li>{@code istio.io/debug/config_dump} with one name (a proxy id or a part of it, e.g. {@code pod.namespace}):
 *       that proxy's config dump, redacted.</li>
 *   <li>{@code istio.io/debug} with one name such as {@code syncz} or {@code config_dump?proxyID=x}: the bytes the
 *       HTTP debug endpoint of that name answers ({@link DebugEndpoints}).</li>
 * </ul>
 * Only a caller that proved an identity gets an answer (the authenticated port); one from outside istiod's
 * namespace sees only the proxies of its own namespace and, of the HTTP endpoints, only Istio's per-namespace
 * ones ({@code config_dump}, {@code ndsz}, {@code edsz}).
 *
 * <p>Thread-safe: reads connection statuses, each taken under its stream's lock.
 */
public final class XdsDebug {
    public static final String DEBUG_TYPE = "istio.io/debug";
    public static final String SYNCZ = DEBUG_TYPE + "/syncz";
    public static final String CONFIG_DUMP = DEBUG_TYPE + "/config_dump";
    /** What a caller of another namespace may ask of the HTTP endpoints (Istio's {@code activeNamespaceDebuggers}). */
    public static final Set<String> NAMESPACE_DEBUGGERS = Set.of("config_dump", "ndsz", "edsz");
    /** Istio's cluster id when none is configured. */
    public static final String DEFAULT_CLUSTER_ID = "Kubernetes";

    /** The HTTP debug endpoints, for {@code istio.io/debug}: the body answered for {@code name?query}. */
    @FunctionalInterface
    public interface DebugEndpoints {
        DebugEndpoints NONE = (resource, namespace) -> "no debug endpoints\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        /**
         * @param resource        the endpoint and its query, e.g. {@code syncz} or {@code config_dump?proxyID=a.b}
         * @param callerNamespace the only namespace whose proxies the caller may see; empty for all
         */
        byte[] serve(String resource, Optional<String> callerNamespace);
    }

    /**
     * @param systemNamespace        istiod's namespace: its callers see everything
     * @param controlPlaneIdentifier Istio's {@code ControlPlane.identifier}: JSON of component, id and build info
     */
    public record Settings(String systemNamespace, String controlPlaneIdentifier, DebugEndpoints endpoints) {
        public static final Settings NONE = new Settings("istio-system",
                "{\"Component\":\"istiod\",\"ID\":\"\",\"Info\":{\"version\":\"unknown\"}}", DebugEndpoints.NONE);
    }

    /** What a debug request gets: resources (and the control plane on syncz), or a refusal that ends the stream. */
    record Answer(List<XdsResource> resources, Optional<ControlPlane> controlPlane, Optional<Status> refusal) {
        static Answer refused(Status status) {
            return new Answer(List.of(), Optional.empty(), Optional.of(status));
        }
    }

    private final Settings settings;
    private final Supplier<List<ConnectionStatus>> connections;

    XdsDebug(Settings settings, Supplier<List<ConnectionStatus>> connections) {
        this.settings = settings;
        this.connections = connections;
    }

    Answer answer(Proxy caller, String typeUrl, List<String> names) {
        Optional<SpiffeId> identity = caller.identity().verified();
        if (identity.isEmpty()) {
            return Answer.refused(Status.UNAUTHENTICATED.withDescription("authentication required: ask debug "
                    + "information over the authenticated port with a mesh certificate or a token"));
        }
        Optional<String> namespace = identity.get().namespace().equals(settings.systemNamespace())
                ? Optional.empty() : Optional.of(identity.get().namespace());
        return switch (typeUrl) {
            case SYNCZ -> new Answer(syncz(namespace), Optional.of(ControlPlane.newBuilder()
                    .setIdentifier(settings.controlPlaneIdentifier()).build()), Optional.empty());
            case CONFIG_DUMP -> new Answer(names.size() == 1 ? configDump(names.get(0), namespace) : List.of(),
                    Optional.empty(), Optional.empty());
            case DEBUG_TYPE -> endpoint(names, namespace);
            default -> new Answer(List.of(), Optional.empty(), Optional.empty());
        };
    }

    private List<XdsResource> syncz(Optional<String> namespace) {
        List<XdsResource> out = new ArrayList<>();
        for (ConnectionStatus c : connections.get()) {
            if (c.isDebugClient() || namespace.isPresent() && !namespace.get().equals(c.proxy().namespace())) {
                continue;
            }
            ClientConfig.Builder config = ClientConfig.newBuilder().setNode(Node.newBuilder().setId(c.proxyId())
                    .setMetadata(Struct.newBuilder()
                            .putFields("CLUSTER_ID", string(clusterId(c.proxy())))
                            .putFields("NAMESPACE", string(c.proxy().namespace()))
                            .putFields("ISTIO_VERSION", string(c.proxy().metadata().getOrDefault("ISTIO_VERSION", "")))));
            for (ConnectionStatus.TypeStatus t : c.types().values()) {
                ClientConfig.GenericXdsConfig.Builder xds = ClientConfig.GenericXdsConfig.newBuilder()
                        .setTypeUrl(t.typeUrl()).setConfigStatus(configStatus(t.state()));
                t.lastSent().ifPresent(at -> xds.setLastUpdated(timestamp(at)));
                t.lastError().ifPresent(error -> xds.setErrorState(UpdateFailureState.newBuilder().setDetails(error)
                        .setLastUpdateAttempt(timestamp(t.lastSent().orElse(Instant.EPOCH)))));
                config.addGenericXdsConfigs(xds);
            }
            out.add(new XdsResource(c.proxyId(), Any.pack(config.build()), ""));
        }
        return out;
    }

    private List<XdsResource> configDump(String proxy, Optional<String> namespace) {
        return find(proxy, namespace)
                .map(c -> ConfigDumps.of(c, false).getConfigsList().stream().map(a -> new XdsResource("", a, "")).toList())
                .orElse(List.of());
    }

    /** The first connected proxy whose connection id contains {@code proxyId}, as Istio finds it. */
    Optional<ConnectionStatus> find(String proxyId, Optional<String> namespace) {
        return connections.get().stream()
                .filter(c -> c.connectionId().contains(proxyId))
                .filter(c -> namespace.isEmpty() || namespace.get().equals(c.proxy().namespace()))
                .findFirst();
    }

    private Answer endpoint(List<String> names, Optional<String> namespace) {
        if (names.size() != 1) {
            return Answer.refused(Status.INVALID_ARGUMENT.withDescription("exactly one debug request is required"));
        }
        String resource = names.get(0);
        String path = URI.create("x:/" + resource.replace(" ", "%20")).getPath().substring(1);
        if (namespace.isPresent() && !NAMESPACE_DEBUGGERS.contains(path)) {
            return Answer.refused(Status.PERMISSION_DENIED.withDescription(
                    "the debug info is not available for current identity: namespace " + namespace.get()));
        }
        byte[] body = settings.endpoints().serve(resource, namespace);
        Any any = Any.newBuilder().setTypeUrl(DEBUG_TYPE).setValue(ByteString.copyFrom(body)).build();
        return new Answer(List.of(new XdsResource(resource, any, "")), Optional.empty(), Optional.empty());
    }

    /** The proxy's CLUSTER_ID, or Istio's default. */
    public static String clusterId(Proxy proxy) {
        String id = proxy.metadata().getOrDefault("CLUSTER_ID", "");
        return id.isEmpty() ? DEFAULT_CLUSTER_ID : id;
    }

    private static ConfigStatus configStatus(ConnectionStatus.SyncState state) {
        return switch (state) {
            case SYNCED -> ConfigStatus.SYNCED;
            case NOT_SENT -> ConfigStatus.NOT_SENT;
            case STALE -> ConfigStatus.STALE;
            case ERROR -> ConfigStatus.ERROR;
        };
    }

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    private static Timestamp timestamp(Instant at) {
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }
}
