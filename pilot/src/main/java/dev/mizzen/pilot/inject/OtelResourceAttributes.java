package dev.mizzen.pilot.inject;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OTEL_RESOURCE_ATTRIBUTES for the proxy, as Istio's otelResourceAttributes computes it: only when a mesh
 * OpenTelemetry tracing provider asks for {@code serviceAttributeEnrichment: OTEL_SEMANTIC_CONVENTIONS}, the
 * service attributes of the OpenTelemetry Kubernetes conventions (service.namespace, service.version,
 * service.instance.id), each from its resource.opentelemetry.io annotation when set.
 */
final class OtelResourceAttributes {
    private static final String PREFIX = "resource.opentelemetry.io/";

    private OtelResourceAttributes() {
    }

    /** The value, or "" when no provider asks for it. */
    static String of(JsonNode meshConfig, Map<String, String> annotations, Map<String, String> labels,
                     String namespace, List<ObjectNode> containers) {
        boolean enabled = false;
        for (JsonNode provider : meshConfig.path("extensionProviders")) {
            if ("OTEL_SEMANTIC_CONVENTIONS".equals(
                    provider.path("opentelemetry").path("serviceAttributeEnrichment").asString(""))) {
                enabled = true;
                break;
            }
        }
        if (!enabled) {
            return "";
        }
        List<String> attrs = new ArrayList<>();
        String v = annotations.getOrDefault(PREFIX + "service.namespace", "");
        if (!v.isEmpty()) {
            attrs.add("service.namespace=" + v);
        } else if (!namespace.isEmpty()) {
            attrs.add("service.namespace=" + namespace);
        }
        v = annotations.getOrDefault(PREFIX + "service.version", "");
        String label = labels.getOrDefault("app.kubernetes.io/version", "");
        if (!v.isEmpty()) {
            attrs.add("service.version=" + v);
        } else if (!label.isEmpty()) {
            attrs.add("service.version=" + label);
        } else if (containers.size() == 1) {
            String version = imageVersion(Trees.text(containers.get(0), "image"));
            if (!version.isEmpty()) {
                attrs.add("service.version=" + version);
            }
        }
        v = annotations.getOrDefault(PREFIX + "service.instance.id", "");
        if (!v.isEmpty()) {
            attrs.add("service.instance.id=" + v);
        } else if (!containers.isEmpty()) {
            attrs.add("service.instance.id=" + namespace + ".$(POD_NAME)." + Trees.text(containers.get(0), "name"));
        }
        return String.join(",", attrs);
    }

    /** {@code tag@digest}, the digest or the tag of an image reference, "" when it has neither. */
    static String imageVersion(String image) {
        String digest = "";
        int at = image.indexOf('@');
        if (at >= 0) {
            digest = image.substring(at + 1);
            image = image.substring(0, at);
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        String tag = colon > slash ? image.substring(colon + 1) : "";
        if (!tag.isEmpty() && !digest.isEmpty()) {
            return tag + "@" + digest;
        }
        return digest.isEmpty() ? tag : digest;
    }
}
