package dev.mizzen.pilot.inject;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a template sees, Istio's SidecarTemplateData in Java maps:
 * <ul>
 *   <li>{@code pod}: name, namespace, labels, annotations, spec, containers, initContainers, ports (every
 *   container port, in order), appContainers (container names but istio-proxy), serviceAccountName</li>
 *   <li>{@code deployment}: name, namespace of the workload; {@code typeMeta}: its apiVersion, kind</li>
 *   <li>{@code proxyConfig} (the pod's merged ProxyConfig), {@code proxyConfigJson} (PROXY_CONFIG),
 *   {@code proxyMetadata} (sorted), {@code interceptionMode}, {@code holdApplicationUntilProxyStarts}</li>
 *   <li>{@code meshConfig}, {@code values}, {@code revision}, {@code proxyImage}, {@code proxyInitImage},
 *   {@code proxyUID}, {@code proxyGID}, {@code nativeSidecars} (the layout; a pod's sidecar.istio.io/nativeSidecar
 *   overrides it in the template), {@code inboundTrafficPolicyMode} ({@code localhost} or {@code passthrough}),
 *   {@code otelResourceAttributes}, {@code compliancePolicy} (always empty: no setting of ours)</li>
 * </ul>
 */
final class TemplateData {
    /** The istio-proxy image runs as this user and group; Istio's templates hard-wire it too. */
    static final long PROXY_UID = 1337;

    private static final List<String> IMAGE_TYPES = List.of("distroless", "debug");

    private TemplateData() {
    }

    /** The parts that are the same for every pod of one settings: converted once. */
    record Shared(Map<String, Object> values, Map<String, Object> meshConfig, String revision, boolean native_) {
        static Shared of(InjectionSettings settings) {
            return new Shared(Trees.toMap(settings.values()), Trees.toMap(settings.meshConfig()), settings.revision(),
                    settings.layout() == SidecarLayout.NATIVE);
        }
    }

    static Map<String, Object> of(ObjectNode pod, PodRequest request, ObjectNode proxyConfig, String proxyConfigJson,
                                  InjectionSettings settings, Shared shared) {
        ObjectNode meta = Trees.obj(pod, "metadata");
        ObjectNode spec = Trees.obj(pod, "spec");
        Map<String, String> annotations = Trees.stringMap(Trees.obj(meta, "annotations"));
        List<String> appContainers = new ArrayList<>();
        List<Object> ports = new ArrayList<>();
        for (ObjectNode c : Trees.objects(Trees.arr(spec, "containers"))) {
            if (!Annotations.PROXY_CONTAINER.equals(Trees.text(c, "name"))) {
                appContainers.add(Trees.text(c, "name"));
            }
            for (JsonNode p : Trees.objects(Trees.arr(c, "ports"))) {
                ports.add(Trees.toMap(p));
            }
        }
        Map<String, Object> podView = new HashMap<>();
        podView.put("name", Trees.text(meta, "name"));
        podView.put("namespace", request.namespace());
        podView.put("labels", Trees.stringMap(Trees.obj(meta, "labels")));
        podView.put("annotations", annotations);
        Map<String, Object> specView = Trees.toMap(spec);
        podView.put("spec", specView);
        podView.put("containers", specView.getOrDefault("containers", List.of()));
        podView.put("initContainers", specView.getOrDefault("initContainers", List.of()));
        podView.put("ports", ports);
        podView.put("appContainers", appContainers);
        podView.put("serviceAccountName", Trees.text(spec, "serviceAccountName"));

        WorkloadMeta w = request.workload();
        Map<String, Object> data = new HashMap<>();
        data.put("pod", podView);
        data.put("deployment", Map.of("name", w.name(), "namespace", w.namespace()));
        data.put("typeMeta", Map.of("apiVersion", w.apiVersion(), "kind", w.kind()));
        data.put("proxyConfig", Trees.toMap(proxyConfig));
        data.put("proxyConfigJson", proxyConfigJson);
        data.put("proxyMetadata", ProxyConfigs.metadata(proxyConfig));
        data.put("interceptionMode", ProxyConfigs.interceptionMode(proxyConfig, annotations));
        data.put("holdApplicationUntilProxyStarts",
                ProxyConfigs.holdApplicationUntilProxyStarts(proxyConfig, settings.values()));
        data.put("meshConfig", shared.meshConfig());
        data.put("values", shared.values());
        data.put("revision", shared.revision());
        data.put("proxyImage", proxyImage(settings.values(), proxyConfig, annotations));
        data.put("proxyInitImage", proxyInitImage(settings.values(), annotations));
        data.put("inboundTrafficPolicyMode", "LOCALHOST".equals(
                settings.meshConfig().path("inboundTrafficPolicy").path("mode").asString("")) ? "localhost" : "passthrough");
        data.put("otelResourceAttributes", OtelResourceAttributes.of(settings.meshConfig(), annotations,
                Trees.stringMap(Trees.obj(meta, "labels")), w.namespace(), Trees.objects(Trees.arr(spec, "containers"))));
        data.put("compliancePolicy", "");
        data.put("proxyUID", PROXY_UID);
        data.put("proxyGID", PROXY_UID);
        data.put("nativeSidecars", shared.native_());
        return data;
    }

    /**
     * {@code <hub>/<image>:<tag>}, the tag's -distroless/-debug suffix set from the proxy config's image type, else
     * values.global.variant, or the sidecar.istio.io/proxyImageType annotation, as Istio's ProxyImage does.
     */
    static String proxyImage(JsonNode values, ObjectNode proxyConfig, Map<String, String> annotations) {
        return imageUrl(values, values.path("global").path("proxy").path("image").asString(""),
                proxyConfig.path("image").path("imageType").asString(""), annotations);
    }

    /** The image of istio-init / istio-validation: values.global.proxy_init.image, as Istio's ProxyInitImage. */
    static String proxyInitImage(JsonNode values, Map<String, String> annotations) {
        return imageUrl(values, values.path("global").path("proxy_init").path("image").asString(""), "", annotations);
    }

    private static String imageUrl(JsonNode values, String image, String type, Map<String, String> annotations) {
        JsonNode global = values.path("global");
        if (image.isEmpty()) {
            image = "proxyv2";
        }
        JsonNode tagNode = global.path("tag");
        String tag = tagNode.isValueNode() ? TemplateFunctions.str(Trees.JSON.convertValue(tagNode, Object.class)) : "";
        if (type.isEmpty()) {
            type = global.path("variant").asString("");
        }
        type = annotations.getOrDefault(Annotations.PROXY_IMAGE_TYPE, type);
        if (!type.isEmpty()) {
            for (String known : IMAGE_TYPES) {
                if (tag.endsWith("-" + known)) {
                    tag = tag.substring(0, tag.length() - known.length() - 1);
                    break;
                }
            }
            if (!type.equals("default")) {
                tag = tag + "-" + type;
            }
        }
        return global.path("hub").asString("") + "/" + image + ":" + tag;
    }
}
