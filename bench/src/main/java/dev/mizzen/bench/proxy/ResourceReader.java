package dev.mizzen.bench.proxy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.mizzen.pilot.xds.TypeUrls;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

import java.util.Map;

/**
 * Reads a resource's name and references and checks it as one kind of client would: {@link #read} parses the
 * body by its type and hands it to the method for that type. Pure and thread-safe.
 */
public interface ResourceReader {
    default ResourceInfo read(String typeUrl, ByteString body) {
        try {
            return switch (typeUrl) {
                case TypeUrls.LISTENER -> listener(Listener.parseFrom(body));
                case TypeUrls.ROUTE -> routes(RouteConfiguration.parseFrom(body));
                case TypeUrls.CLUSTER -> cluster(Cluster.parseFrom(body));
                case TypeUrls.ENDPOINT -> endpoints(ClusterLoadAssignment.parseFrom(body));
                default -> problem("", "unexpected type " + typeUrl);
            };
        } catch (InvalidProtocolBufferException e) {
            return problem("", "does not parse as " + typeUrl + ": " + e.getMessage());
        }
    }

    ResourceInfo listener(Listener listener) throws InvalidProtocolBufferException;

    ResourceInfo routes(RouteConfiguration config);

    ResourceInfo cluster(Cluster cluster);

    ResourceInfo endpoints(ClusterLoadAssignment assignment);

    /** A resource this client would reject, and why. */
    static ResourceInfo problem(String name, String why) {
        return new ResourceInfo(name, Map.of(), why);
    }
}
