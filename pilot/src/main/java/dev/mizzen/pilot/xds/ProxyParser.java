package dev.mizzen.pilot.xds;

import com.github.benmanes.caffeine.cache.Interner;
import com.google.protobuf.Struct;
import dev.mizzen.api.logging.ClientText;
import com.google.protobuf.Value;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.ProxyIdentity;
import dev.mizzen.pilot.model.ProxyType;
import io.envoyproxy.envoy.config.core.v3.Node;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a proxy's identity from its xDS node as Istio's agent sends it:
 * id {@code sidecar~10.0.0.1~reviews-v1-abc.default~default.svc.cluster.local} and metadata NAMESPACE, LABELS,
 * SERVICE_ACCOUNT, INSTANCE_IPS, GENERATOR ({@code grpc} for proxyless clients).
 */
public final class ProxyParser {
    /** Replicas of a workload carry equal labels: one map for all of them, while any proxy holds it. */
    private static final Interner<Map<String, String>> LABELS = Interner.newWeakInterner();

    private ProxyParser() {
    }

    public static Proxy parse(Node node) {
        String id = node.getId();
        String[] parts = id.split("~", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("node id " + ClientText.quote(id, 256)
                    + " is not of the form <type>~<ip>~<pod>.<namespace>~<namespace>.svc.<domain>");
        }
        ProxyType type = ProxyType.fromNodeIdPrefix(parts[0]);
        Struct metadata = node.getMetadata();
        String podPart = parts[2];
        int dot = podPart.lastIndexOf('.');
        String podName = dot > 0 ? podPart.substring(0, dot) : podPart;
        String dnsDomain = parts[3];
        String namespace = string(metadata, "NAMESPACE");
        if (namespace.isEmpty()) {
            namespace = dot > 0 ? podPart.substring(dot + 1) : dnsDomain.split("\\.")[0];
        }
        if (namespace.isEmpty()) {
            throw new IllegalArgumentException("node id " + ClientText.quote(id, 256) + " names no namespace and metadata has no NAMESPACE");
        }
        if (dnsDomain.isEmpty()) {
            dnsDomain = namespace + ".svc.cluster.local";
        }
        List<String> ips = new ArrayList<>();
        String instanceIps = string(metadata, "INSTANCE_IPS");
        if (!instanceIps.isEmpty()) {
            Arrays.stream(instanceIps.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(String::intern)
                    .forEach(ips::add);
        } else if (!parts[1].isEmpty()) {
            ips.add(parts[1]);
        }
        // canonical strings for what groups proxies: many proxies share them and cache keys compare them; the
        // rest too, as a server keeps every connected proxy's for as long as it stays (the JVM's string table
        // holds them weakly: a value no proxy holds any more goes away)
        return new Proxy(id, type, ips, podName.intern(), namespace.intern(), dnsDomain.intern(), labels(metadata),
                string(metadata, "SERVICE_ACCOUNT").intern(), string(metadata, "GENERATOR").intern(), flat(metadata),
                ProxyIdentity.ANONYMOUS);
    }

    private static String string(Struct struct, String key) {
        Value value = struct.getFieldsMap().get(key);
        return value != null && value.hasStringValue() ? value.getStringValue() : "";
    }

    private static Map<String, String> labels(Struct metadata) {
        Value value = metadata.getFieldsMap().get("LABELS");
        if (value == null || !value.hasStructValue()) {
            return Map.of();
        }
        Map<String, String> labels = new HashMap<>();
        value.getStructValue().getFieldsMap().forEach((k, v) -> {
            if (v.hasStringValue()) {
                labels.put(k.intern(), v.getStringValue().intern());
            }
        });
        return LABELS.intern(Map.copyOf(labels));
    }

    /**
     * The string-valued metadata, for EnvoyFilter matches, logs and debugging; canonical strings, since most values
     * (ISTIO_VERSION, CLUSTER_ID, MESH_ID, POD_PORTS, ...) repeat across proxies and all keys do.
     */
    private static Map<String, String> flat(Struct metadata) {
        Map<String, String> out = new TreeMap<>();
        metadata.getFieldsMap().forEach((k, v) -> {
            if (v.hasStringValue()) {
                out.put(k.intern(), v.getStringValue().intern());
            }
        });
        return out;
    }
}
