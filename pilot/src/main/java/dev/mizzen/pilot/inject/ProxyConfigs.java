package dev.mizzen.pilot.inject;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A pod's ProxyConfig as a tree: Istio's defaults, then mesh {@code defaultConfig}, then the ProxyConfig resources
 * and the pod's proxy.istio.io/config annotation ({@link #forPod}), merged as protobuf JSON merges (scalars replaced, messages and maps merged
 * key by key, lists appended). And its PROXY_CONFIG form: protobuf JSON of the fields that differ from the
 * defaults, in the proto's declaration order, map keys sorted.
 */
final class ProxyConfigs {
    /** ProxyConfig's fields in declaration order (istio.io/api mesh/v1alpha1/proxy.proto), as protojson writes them. */
    private static final List<String> FIELD_ORDER = List.of("configPath", "binaryPath", "serviceCluster",
            "drainDuration", "parentShutdownDuration", "discoveryAddress", "discoveryRefreshDelay", "zipkinAddress",
            "statsdUdpAddress", "envoyMetricsServiceAddress", "proxyAdminPort", "availabilityZone",
            "controlPlaneAuthPolicy", "customConfigFile", "statNameLength", "concurrency",
            "proxyBootstrapTemplatePath", "interceptionMode", "tracing", "sds", "envoyAccessLogService",
            "envoyMetricsService", "proxyMetadata", "runtimeValues", "statusPort", "extraStatTags", "gatewayTopology",
            "terminationDrainDuration", "meshId", "readinessProbe", "proxyStatsMatcher",
            "holdApplicationUntilProxyStarts", "caCertificatesPem", "image", "privateKeyProvider", "proxyHeaders",
            "fileFlushInterval", "fileFlushMinSizeKb");

    private ProxyConfigs() {
    }

    /** The mesh-wide proxy config: Istio's defaults with the mesh's defaultConfig merged over them. */
    static ObjectNode meshDefault(InjectionSettings settings) {
        ObjectNode out = settings.proxyConfigDefaults().deepCopy();
        ObjectNode fromMesh = Trees.obj(settings.meshConfig(), "defaultConfig");
        if (fromMesh != null) {
            merge(out, fromMesh);
        }
        return out;
    }

    /**
     * The pod's proxy config, as Istio's EffectiveProxyConfig layers it, each over the one before: the mesh default,
     * the root namespace's ProxyConfig, the pod namespace's, the annotation (already validated YAML), and last the
     * ProxyConfig that selects the pod (it wins over the annotation, as in Istio).
     */
    static ObjectNode forPod(ObjectNode meshDefault, Map<String, String> annotations, ProxyConfigResources.Layers layers) {
        ObjectNode out = meshDefault.deepCopy();
        layers.mesh().ifPresent(l -> merge(out, l));
        layers.namespace().ifPresent(l -> merge(out, l));
        String annotation = annotations.get(Annotations.PROXY_CONFIG);
        if (annotation != null) {
            JsonNode node = Trees.YAML.readTree(annotation);
            if (node instanceof ObjectNode o) {
                merge(out, o);
            }
        }
        layers.workload().ifPresent(l -> merge(out, l));
        return out;
    }

    private static void merge(ObjectNode target, ObjectNode source) {
        for (Map.Entry<String, JsonNode> e : source.properties()) {
            JsonNode current = target.get(e.getKey());
            JsonNode value = e.getValue();
            if (value.isNull()) {
                continue;
            }
            if (current instanceof ObjectNode co && value instanceof ObjectNode vo) {
                merge(co, vo);
            } else if (current instanceof ArrayNode ca && value instanceof ArrayNode va) {
                ca.addAll(va.deepCopy());
            } else {
                target.set(e.getKey(), value.deepCopy());
            }
        }
    }

    /**
     * The fields Istio's cleanProxyConfig drops when they equal its defaults; every other field is written as
     * protojson writes it (see {@link #toJson}).
     */
    private static final Set<String> CLEANED = Set.of("configPath", "binaryPath", "controlPlaneAuthPolicy",
            "serviceCluster", "drainDuration", "terminationDrainDuration", "discoveryAddress", "envoyMetricsService",
            "envoyAccessLogService", "tracing", "proxyAdminPort", "statNameLength", "statusPort", "concurrency");

    /** Wrapper-typed fields (google.protobuf.Int32Value, BoolValue): written when set, even to 0 or false. */
    private static final Set<String> WRAPPERS = Set.of("concurrency", "holdApplicationUntilProxyStarts");

    /** Enum fields and their zero value, which proto3 JSON leaves out. */
    private static final Map<String, String> ENUM_ZERO = Map.of("interceptionMode", "REDIRECT",
            "controlPlaneAuthPolicy", "NONE");

    /**
     * The PROXY_CONFIG value, as Istio writes it: the pod's proxy config, less the fields cleanProxyConfig drops
     * when they equal the defaults, as protobuf JSON (zero scalars and enums left out; messages and wrappers
     * kept when set, so an explicit {@code tracing: {}} or {@code holdApplicationUntilProxyStarts: false} stays).
     */
    static String toJson(ObjectNode proxyConfig, ObjectNode defaults) {
        ObjectNode out = Trees.object();
        List<String> names = new ArrayList<>(FIELD_ORDER);
        for (String name : proxyConfig.propertyNames()) {
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        for (String name : names) {
            JsonNode value = proxyConfig.get(name);
            if (value == null || value.isNull() || (CLEANED.contains(name) && value.equals(defaults.get(name)))) {
                continue;
            }
            boolean zero = value.isObject() ? isMap(name) && value.isEmpty()
                    : !WRAPPERS.contains(name) && (isZero(value) || value.asString("").equals(ENUM_ZERO.get(name)));
            if (!zero) {
                out.set(name, value.isObject() && isMap(name) ? sorted((ObjectNode) value) : value);
            }
        }
        return GoJson.write(out);
    }

    /** Proto3 JSON leaves out empty strings, false, 0 and empty lists. */
    private static boolean isZero(JsonNode v) {
        return (v.isString() && v.asString().isEmpty()) || (v.isBoolean() && !v.asBoolean())
                || (v.isNumber() && v.asDouble() == 0) || (v.isArray() && v.isEmpty());
    }

    private static boolean isMap(String field) {
        return field.equals("proxyMetadata") || field.equals("runtimeValues");
    }

    private static ObjectNode sorted(ObjectNode map) {
        ObjectNode out = Trees.object();
        new TreeMap<>(Trees.stringMap(map)).forEach(out::put);
        return out;
    }

    /** proxyMetadata as sorted strings: the env every injected proxy and init container gets. */
    static Map<String, String> metadata(ObjectNode proxyConfig) {
        return new TreeMap<>(Trees.stringMap(Trees.obj(proxyConfig, "proxyMetadata")));
    }

    /** The interception mode: the pod's annotation, else the proxy config's, else REDIRECT. */
    static String interceptionMode(ObjectNode proxyConfig, Map<String, String> annotations) {
        String fromAnnotation = annotations.get(Annotations.INTERCEPTION_MODE);
        if (fromAnnotation != null && !fromAnnotation.isEmpty()) {
            return fromAnnotation;
        }
        String mode = Trees.text(proxyConfig, "interceptionMode");
        return mode.isEmpty() ? "REDIRECT" : mode;
    }

    static boolean holdApplicationUntilProxyStarts(ObjectNode proxyConfig, JsonNode values) {
        JsonNode own = proxyConfig.get("holdApplicationUntilProxyStarts");
        JsonNode global = values.at("/global/proxy/holdApplicationUntilProxyStarts");
        return (own != null && own.asBoolean(false)) || global.asBoolean(false);
    }

    static int statusPort(ObjectNode proxyConfig) {
        JsonNode port = proxyConfig.get("statusPort");
        return port != null && port.canConvertToInt() ? port.asInt() : 15020;
    }
}
