package dev.mizzen.bench.proxy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.mizzen.bench.mesh.MeshShape;
import io.envoyproxy.envoy.config.core.v3.Node;

import java.util.Map;
import java.util.TreeMap;

/**
 * The xDS node a simulated proxy presents, as Istio's agent writes it: id
 * {@code sidecar~<ip>~<pod>.<ns>~<ns>.svc.cluster.local} and metadata NAMESPACE, LABELS, SERVICE_ACCOUNT,
 * INSTANCE_IPS, ISTIO_VERSION, and GENERATOR for proxyless clients. Replicas of one workload carry equal labels, so istiod
 * groups them.
 */
public final class ProxyIdentity {
    /** The agent version the proxies claim: Istio's istiod warns about and may mistreat proxies that claim none. */
    static final String ISTIO_VERSION = "1.31.0";

    private ProxyIdentity() {
    }

    /** A replica of client workload {@code client-<w>}, which no service selects. */
    public static Node client(MeshShape shape, int proxy, String generator) {
        int workload = shape.workloadOf(proxy);
        String namespace = shape.workloadNamespace(workload);
        String app = shape.workloadName(workload);
        String pod = app + "-" + (proxy % shape.replicas());
        return node(shape.proxyIp(proxy), pod, namespace, app, generator);
    }

    /**
     * A sidecar of a v1 pod of the service its workload serves ({@link MeshShape#servedService}): that
     * service selects it by its labels, so it gets inbound config too, as a sidecar of a real pod does.
     */
    public static Node sidecar(MeshShape shape, int proxy) {
        int service = shape.servedService(shape.workloadOf(proxy));
        String app = shape.serviceName(service);
        return node(shape.proxyIp(proxy), app + "-v1-" + proxy, shape.serviceNamespace(service), app, "");
    }

    private static Node node(String ip, String pod, String namespace, String app, String generator) {
        Map<String, String> labels = new TreeMap<>(Map.of("app", app, "version", "v1"));
        Struct.Builder labelStruct = Struct.newBuilder();
        labels.forEach((k, v) -> labelStruct.putFields(k, string(v)));
        Struct.Builder metadata = Struct.newBuilder()
                .putFields("NAMESPACE", string(namespace))
                .putFields("LABELS", Value.newBuilder().setStructValue(labelStruct).build())
                .putFields("SERVICE_ACCOUNT", string(app))
                .putFields("INSTANCE_IPS", string(ip))
                .putFields("ISTIO_VERSION", string(ISTIO_VERSION));
        if (!generator.isEmpty()) {
            metadata.putFields("GENERATOR", string(generator));
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
