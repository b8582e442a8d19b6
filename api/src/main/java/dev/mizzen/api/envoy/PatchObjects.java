package dev.mizzen.api.envoy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;
import java.util.Optional;

/**
 * An EnvoyFilter patch's {@code value} as the Envoy message its {@code applyTo} names (Istio's
 * {@code xds.BuildXDSObjectFromStruct}): proto-JSON with {@code Any}s resolved by {@link EnvoyTypes}. Lenient
 * reading ignores unknown fields, as istiod does when it applies a patch; strict reading refuses them, which
 * Istio's webhook reports as a warning only (a newer Envoy may know a field our protos lack). Stateless.
 */
public final class PatchObjects {
    /** How unknown fields are treated. */
    public enum Strictness { LENIENT, STRICT }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private PatchObjects() {
    }

    /** A value that does not make the message: the parser's reason. */
    public static final class InvalidPatchValue extends Exception {
        public InvalidPatchValue(String message) {
            super(message);
        }
    }

    /** An empty message of the type {@code applyTo} patches, or empty for an unknown {@code applyTo}. */
    public static Optional<Message.Builder> builderFor(String applyTo) {
        Message.Builder builder = switch (applyTo == null ? "" : applyTo) {
            case "CLUSTER" -> Cluster.newBuilder();
            case "LISTENER" -> Listener.newBuilder();
            case "FILTER_CHAIN" -> FilterChain.newBuilder();
            case "NETWORK_FILTER" -> Filter.newBuilder();
            case "HTTP_FILTER" -> HttpFilter.newBuilder();
            case "LISTENER_FILTER" -> ListenerFilter.newBuilder();
            case "ROUTE_CONFIGURATION" -> RouteConfiguration.newBuilder();
            case "VIRTUAL_HOST" -> VirtualHost.newBuilder();
            case "HTTP_ROUTE" -> Route.newBuilder();
            case "EXTENSION_CONFIG" -> TypedExtensionConfig.newBuilder();
            case "BOOTSTRAP" -> Bootstrap.newBuilder();
            default -> null;
        };
        return Optional.ofNullable(builder);
    }

    /** Reads {@code value} (a JSON-like tree of maps, lists and scalars) into a new message of {@code applyTo}'s type. */
    public static Message build(String applyTo, Map<String, Object> value, Strictness strictness) throws InvalidPatchValue {
        Message.Builder builder = builderFor(applyTo)
                .orElseThrow(() -> new InvalidPatchValue("unsupported applyTo " + applyTo));
        merge(builder, value, strictness);
        return builder.build();
    }

    /** Reads {@code value} into {@code builder}, as proto-JSON merges into a message. */
    public static void merge(Message.Builder builder, Object value, Strictness strictness) throws InvalidPatchValue {
        String json;
        try {
            json = JSON.writeValueAsString(value == null ? Map.of() : value);
        } catch (JacksonException e) {
            throw new InvalidPatchValue("value is not JSON: " + e.getOriginalMessage());
        }
        JsonFormat.Parser parser = JsonFormat.parser().usingTypeRegistry(EnvoyTypes.registry());
        if (strictness == Strictness.LENIENT) {
            parser = parser.ignoringUnknownFields();
        }
        try {
            parser.merge(json, builder);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (message.contains("Cannot resolve type") || message.contains("Cannot find type")) {
                message = (message.contains(".v2.") ? "referenced type unknown (hint: try using the v3 XDS API): "
                        : "referenced type unknown: ") + message;
            }
            throw new InvalidPatchValue(message);
        }
    }

    /** The message as proto-JSON, {@code Any}s spelled out: for logs, goldens and debug output. */
    public static String toJson(com.google.protobuf.MessageOrBuilder message) {
        try {
            return JsonFormat.printer().usingTypeRegistry(EnvoyTypes.registry()).print(message);
        } catch (InvalidProtocolBufferException e) {
            return message.toString();
        }
    }
}
