package dev.mizzen.pilot.inject;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sends the app's probes and lifecycle hooks through the agent, so they keep working when mTLS is strict: each
 * httpGet, tcpSocket or grpc check becomes an httpGet on the agent's status port at
 * {@code /app-health/<container>/readyz|livez|startupz} or {@code /app-lifecycle/<container>/prestopz|poststartz},
 * and the original checks (named ports resolved) go to the agent in ISTIO_KUBE_APP_PROBERS.
 * Probes on ports the sidecar does not capture (an explicit includeInboundPorts list without them) are left
 * as they are, as is a probe whose named port the container does not declare, and one already pointed at the
 * agent (re-injection). When the pod was injected before, the sidecar's existing ISTIO_KUBE_APP_PROBERS are
 * merged with the new ones (the existing win), as Istio's mergeOrAppendProbers does.
 */
final class ProbeRewriter {
    /** Probes may use grpc and carry a timeout; lifecycle hooks may not. */
    private enum Check { PROBE, HOOK }

    /** A check's field in the container (or its lifecycle) and the agent path it moves to. */
    private record Target(String field, String pathFormat) {
        String path(String container) {
            return String.format(pathFormat, container);
        }
    }

    private static final List<Target> PROBES = List.of(new Target("readinessProbe", "/app-health/%s/readyz"),
            new Target("livenessProbe", "/app-health/%s/livez"), new Target("startupProbe", "/app-health/%s/startupz"));
    private static final List<Target> HOOKS = List.of(new Target("preStop", "/app-lifecycle/%s/prestopz"),
            new Target("postStart", "/app-lifecycle/%s/poststartz"));

    private ProbeRewriter() {
    }

    /** Whether probes are rewritten: the pod's sidecar.istio.io/rewriteAppHTTPProbers, else the values' setting. */
    static boolean enabled(Map<String, String> annotations, JsonNode values) {
        Boolean fromPod = GoBool.parse(annotations.get(Annotations.REWRITE_PROBES));
        return fromPod != null ? fromPod
                : values.path("sidecarInjectorWebhook").path("rewriteAppHTTPProbe").asBoolean(false);
    }

    /** Rewrites in place; adds ISTIO_KUBE_APP_PROBERS to {@code sidecar} when any check was taken over. */
    static void rewrite(ObjectNode pod, ObjectNode sidecar, int statusPort, int meshStatusPort,
                        boolean previouslyInjected) {
        Map<String, String> annotations = Trees.stringMap(pod.path("metadata").path("annotations"));
        Set<Integer> captured = capturedPorts(annotations);
        TreeMap<String, JsonNode> probers = new TreeMap<>();
        ObjectNode spec = Trees.obj(pod, "spec");
        List<ObjectNode> containers = new ArrayList<>(Trees.objects(Trees.arr(spec, "initContainers")));
        containers.addAll(Trees.objects(Trees.arr(spec, "containers")));
        for (ObjectNode c : containers) {
            String name = Trees.text(c, "name");
            if (name.equals(Annotations.PROXY_CONTAINER)) {
                continue;
            }
            for (Target probe : PROBES) {
                takeOver(c, c, probe.field(), probe.path(name), statusPort, meshStatusPort, captured, Check.PROBE,
                        probers);
            }
            ObjectNode lifecycle = Trees.obj(c, "lifecycle");
            if (lifecycle != null) {
                for (Target hook : HOOKS) {
                    takeOver(c, lifecycle, hook.field(), hook.path(name), statusPort, meshStatusPort, captured,
                            Check.HOOK, probers);
                }
            }
        }
        if (probers.isEmpty()) {
            return;
        }
        ObjectNode existing = previouslyInjected
                ? Trees.named(Trees.arr(sidecar, "env"), "ISTIO_KUBE_APP_PROBERS") : null;
        if (existing != null) {
            try {
                JsonNode old = Trees.JSON.readTree(Trees.text(existing, "value"));
                old.properties().forEach(e -> probers.put(e.getKey(), e.getValue()));
            } catch (JacksonException e) {
                return; // Istio logs and keeps the env as it is
            }
        }
        ObjectNode json = Trees.object();
        probers.forEach(json::set);
        ObjectNode env = existing != null ? existing : Trees.arrOrCreate(sidecar, "env").addObject();
        env.put("name", "ISTIO_KUBE_APP_PROBERS");
        env.put("value", GoJson.write(json, GoJson.Type.ANY));
    }

    private static void takeOver(ObjectNode container, ObjectNode holder, String field, String path, int statusPort,
                                 int meshStatusPort, Set<Integer> captured, Check kind,
                                 TreeMap<String, JsonNode> probers) {
        ObjectNode check = Trees.obj(holder, field);
        if (check == null) {
            return;
        }
        String action = check.has("httpGet") ? "httpGet" : check.has("tcpSocket") ? "tcpSocket"
                : kind == Check.PROBE && check.has("grpc") ? "grpc" : null;
        if (action == null || !(check.get(action) instanceof ObjectNode target)) {
            return;
        }
        Integer port = resolvePort(container, target.get("port"));
        if (port == null || (captured != null && !captured.contains(port))
                || (target.path("port").isNumber() && port == meshStatusPort)) {
            return;
        }
        ObjectNode prober = Trees.object();
        ObjectNode original = target.deepCopy();
        original.put("port", port);
        prober.set(action, sortedAs(original, action));
        if (kind == Check.PROBE && check.path("timeoutSeconds").asInt(0) != 0) {
            prober.set("timeoutSeconds", check.get("timeoutSeconds"));
        }
        probers.put(path, prober);

        ObjectNode httpGet = action.equals("httpGet") ? target : Trees.object();
        httpGet.put("path", path);
        httpGet.put("port", statusPort);
        if ("HTTPS".equals(Trees.text(httpGet, "scheme"))) {
            httpGet.put("scheme", "HTTP"); // kubelet -> HTTP -> agent -> HTTPS -> app
        }
        if (!action.equals("httpGet")) {
            check.remove(action);
            check.set("httpGet", httpGet);
        }
    }

    private static JsonNode sortedAs(ObjectNode action, String kind) {
        GoJson.Type type = switch (kind) {
            case "httpGet" -> GoJson.Type.HTTP_GET;
            case "tcpSocket" -> GoJson.Type.TCP_SOCKET;
            default -> GoJson.Type.GRPC;
        };
        return GoJson.ordered(action, type);
    }

    /** A numeric port, or a named one looked up in the container's ports; null when it cannot be resolved. */
    private static Integer resolvePort(ObjectNode container, JsonNode port) {
        if (port == null) {
            return null;
        }
        if (port.isNumber()) {
            return port.asInt();
        }
        String name = port.asString("");
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(name);
        }
        for (ObjectNode p : Trees.objects(Trees.arr(container, "ports"))) {
            if (name.equals(Trees.text(p, "name")) && p.path("containerPort").isNumber()) {
                return p.get("containerPort").asInt();
            }
        }
        return null;
    }

    /** The inbound ports the sidecar captures when the pod lists them explicitly; null means all. */
    private static Set<Integer> capturedPorts(Map<String, String> annotations) {
        String include = annotations.getOrDefault(Annotations.INCLUDE_INBOUND_PORTS, "").trim();
        if (include.isEmpty() || include.equals("*")) {
            return null;
        }
        Set<Integer> ports = new HashSet<>();
        for (String p : include.split(",")) {
            if (AnnotationValidator.port(p)) {
                ports.add(Integer.parseInt(p.trim()));
            }
        }
        return ports;
    }
}
