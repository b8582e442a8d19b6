package dev.mizzen.pilot.inject;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compact JSON exactly as Go's encoding/json writes Kubernetes structs, for the strings the agent and later
 * injections read back (ISTIO_META_POD_PORTS, ISTIO_KUBE_APP_PROBERS, the status and overrides annotations):
 * fields in the Go struct's declaration order, strings escaped as Go escapes them ({@code <>&} included).
 * Unknown fields follow the known ones in their original order.
 */
final class GoJson {
    /** A Kubernetes (or Istio) struct whose Go field order we reproduce. */
    enum Type {
        ANY, CONTAINER, CONTAINER_PORT, ENV_VAR, PROBE, HTTP_GET, TCP_SOCKET, GRPC, LIFECYCLE, HANDLER, VOLUME_MOUNT,
        RESOURCES, SECURITY_CONTEXT, PROBER, HTTP_HEADER
    }

    private record Field(String name, Type type) {
    }

    private static final Map<Type, List<Field>> FIELDS = Map.ofEntries(
            Map.entry(Type.CONTAINER, List.of(f("name"), f("image"), f("command"), f("args"), f("workingDir"),
                    f("ports", Type.CONTAINER_PORT), f("envFrom"), f("env", Type.ENV_VAR),
                    f("resources", Type.RESOURCES), f("resizePolicy"), f("restartPolicy"), f("restartPolicyRules"),
                    f("volumeMounts", Type.VOLUME_MOUNT), f("volumeDevices"), f("livenessProbe", Type.PROBE),
                    f("readinessProbe", Type.PROBE), f("startupProbe", Type.PROBE), f("lifecycle", Type.LIFECYCLE),
                    f("terminationMessagePath"), f("terminationMessagePolicy"), f("imagePullPolicy"),
                    f("securityContext", Type.SECURITY_CONTEXT), f("stdin"), f("stdinOnce"), f("tty"))),
            Map.entry(Type.CONTAINER_PORT, List.of(f("name"), f("hostPort"), f("containerPort"), f("protocol"),
                    f("hostIP"))),
            Map.entry(Type.ENV_VAR, List.of(f("name"), f("value"), f("valueFrom"))),
            Map.entry(Type.PROBE, List.of(f("exec"), f("httpGet", Type.HTTP_GET), f("tcpSocket", Type.TCP_SOCKET),
                    f("grpc", Type.GRPC), f("initialDelaySeconds"), f("timeoutSeconds"), f("periodSeconds"),
                    f("successThreshold"), f("failureThreshold"), f("terminationGracePeriodSeconds"))),
            Map.entry(Type.HTTP_GET, List.of(f("path"), f("port"), f("host"), f("scheme"),
                    f("httpHeaders", Type.HTTP_HEADER))),
            Map.entry(Type.HTTP_HEADER, List.of(f("name"), f("value"))),
            Map.entry(Type.TCP_SOCKET, List.of(f("port"), f("host"))),
            Map.entry(Type.GRPC, List.of(f("port"), f("service"))),
            Map.entry(Type.LIFECYCLE, List.of(f("postStart", Type.HANDLER), f("preStop", Type.HANDLER),
                    f("stopSignal"))),
            Map.entry(Type.HANDLER, List.of(f("exec"), f("httpGet", Type.HTTP_GET), f("tcpSocket", Type.TCP_SOCKET),
                    f("sleep"))),
            Map.entry(Type.VOLUME_MOUNT, List.of(f("name"), f("readOnly"), f("recursiveReadOnly"), f("mountPath"),
                    f("subPath"), f("mountPropagation"), f("subPathExpr"))),
            Map.entry(Type.RESOURCES, List.of(f("limits"), f("requests"), f("claims"))),
            Map.entry(Type.SECURITY_CONTEXT, List.of(f("capabilities"), f("privileged"), f("seLinuxOptions"),
                    f("windowsOptions"), f("runAsUser"), f("runAsGroup"), f("runAsNonRoot"),
                    f("readOnlyRootFilesystem"), f("allowPrivilegeEscalation"), f("procMount"), f("seccompProfile"),
                    f("appArmorProfile"))),
            Map.entry(Type.PROBER, List.of(f("httpGet", Type.HTTP_GET), f("tcpSocket", Type.TCP_SOCKET),
                    f("grpc", Type.GRPC), f("timeoutSeconds"))));

    private GoJson() {
    }

    private static Field f(String name) {
        return new Field(name, Type.ANY);
    }

    private static Field f(String name, Type type) {
        return new Field(name, type);
    }

    static String write(JsonNode node) {
        return write(node, Type.ANY);
    }

    static String write(JsonNode node, Type type) {
        StringBuilder out = new StringBuilder();
        write(node, type, out);
        return out.toString();
    }

    /**
     * A container as Go serializes {@code corev1.Container}: {@code resources} is a struct without omitempty,
     * so it is always there.
     */
    static String container(JsonNode container) {
        StringBuilder out = new StringBuilder();
        writeContainer(container, out);
        return out.toString();
    }

    static void writeContainer(JsonNode container, StringBuilder out) {
        if (container.isObject() && !container.has("resources")) {
            ObjectNode copy = (ObjectNode) container.deepCopy();
            copy.putObject("resources");
            write(copy, Type.CONTAINER, out);
        } else {
            write(container, Type.CONTAINER, out);
        }
    }

    private static void write(JsonNode node, Type type, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            writeObject(node, type, out);
        } else if (node.isArray()) {
            out.append('[');
            boolean first = true;
            for (JsonNode item : node) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(item, type, out);
            }
            out.append(']');
        } else if (node.isString()) {
            string(node.asString(), out);
        } else {
            out.append(node.toString());
        }
    }

    /** A copy of an object with its top-level fields in Go order (nested objects as they are). */
    static ObjectNode ordered(ObjectNode node, Type type) {
        ObjectNode out = Trees.object();
        for (Field field : FIELDS.getOrDefault(type, List.of())) {
            if (node.has(field.name())) {
                out.set(field.name(), node.get(field.name()));
            }
        }
        for (String name : node.propertyNames()) {
            if (!out.has(name)) {
                out.set(name, node.get(name));
            }
        }
        return out;
    }

    private static void writeObject(JsonNode node, Type type, StringBuilder out) {
        List<Field> known = FIELDS.getOrDefault(type, List.of());
        List<String> names = new ArrayList<>();
        List<Type> types = new ArrayList<>();
        for (Field field : known) {
            if (node.has(field.name())) {
                names.add(field.name());
                types.add(field.type());
            }
        }
        for (String name : node.propertyNames()) {
            if (!names.contains(name)) {
                names.add(name);
                types.add(Type.ANY);
            }
        }
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            string(names.get(i), out);
            out.append(':');
            write(node.get(names.get(i)), types.get(i), out);
        }
        out.append('}');
    }

    /** A JSON string literal with Go's escaping; also a valid YAML double-quoted scalar. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        string(s, out);
        return out.toString();
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
