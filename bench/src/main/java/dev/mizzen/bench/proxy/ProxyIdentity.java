package dev.mizzen.bench.proxy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.mizzen.bench.mesh.MeshShape;
import io.envoyproxy.envoy.config.core.v3.Node;

import java.util.Map;
import java.util.TreeMap;

/**
 * The xDS node a simulated proxy presents, as Istio's agent writes it: id
 * {@code sidecar~<ip>~<pod>.<ns>~<ns>.svc.cluster.local} and metadata GENERATOR, NAMESPACE, LABELS,
 * SERVICE_ACCOUNT, INSTANCE_IPS. Replicas of one workload carry equal labels, so istiod groups them.
 */
public final class ProxyIdentity {
    private ProxyIdentity() {
    }

    public static Node node(MeshShape shape, int proxy, ProxyMode mode) {
        int workload = shape.workloadOf(proxy);
        String namespace = shape.workloadNamespace(workload);
        String app = shape.workloadName(workload);
        String pod = app + "-" + (proxy % shape.replicas());
        String ip = shape.proxyIp(proxy);
        Map<String, String> labels = new TreeMap<>(Map.of("app", app, "version", "v1"));
        Struct.Builder labelStruct = Struct.newBuilder();
        labels.forEach((k, v) -> labelStruct.putFields(k, string(v)));
        Struct.Builder metadata = Struct.newBuilder()
                .putFields("NAMESPACE", string(namespace))
                .putFields("LABELS", Value.newBuilder().setStructValue(labelStruct).build())
                .putFields("SERVICE_ACCOUNT", string(app))
                .putFields("INSTANCE_IPS", string(ip));
        if (!mode.generator().isEmpty()) {
            metadata.putFields("GENERATOR", string(mode.generator()));
        }
        return Node.newBuilder()
                .setId("sidecar~" + ip + "~" + pod + "." + namespace + "~" + namespace + ".svc." + MeshShape.DOMAIN_SUFFIX)
                .setMetadata(metadata)
                .build();
    }

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }
}
