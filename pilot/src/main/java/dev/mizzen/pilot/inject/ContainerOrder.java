package dev.mizzen.pilot.inject;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Puts the injected containers where Kubernetes needs them. Regular containers: istio-proxy last, so kubectl
 * exec and logs default to the app, or first when the app must wait for the proxy. Native sidecars: istio-init
 * (or istio-validation), then any init containers asked to run before the proxy
 * (sidecar.istio.io/init-containers-before-proxy), then istio-proxy, then the rest. Classic layout:
 * istio-validation first to block the rest, istio-init last so earlier init containers are not redirected.
 */
final class ContainerOrder {
    /** Where a container goes in its list. */
    enum Position { FIRST, LAST }

    private ContainerOrder() {
    }

    /**
     * @param proxy                     where istio-proxy goes among regular containers: FIRST when the app
     *                                  must wait for the proxy (holdApplicationUntilProxyStarts), else LAST
     * @param initContainersBeforeProxy the pod's sidecar.istio.io/init-containers-before-proxy, or null
     */
    static void apply(ObjectNode spec, Position proxy, String initContainersBeforeProxy) {
        ArrayNode containers = Trees.arr(spec, "containers");
        if (containers != null) {
            move(containers, Annotations.PROXY_CONTAINER, proxy);
        }
        ArrayNode init = Trees.arr(spec, "initContainers");
        if (init == null) {
            return;
        }
        if (Trees.named(init, Annotations.PROXY_CONTAINER) != null) {
            move(init, Annotations.CORE_DUMP_CONTAINER, Position.FIRST);
            move(init, Annotations.PROXY_CONTAINER, Position.FIRST);
            List<String> before = new ArrayList<>(beforeProxy(initContainersBeforeProxy));
            for (int i = before.size() - 1; i >= 0; i--) {
                move(init, before.get(i), Position.FIRST);
            }
            move(init, Annotations.VALIDATION_CONTAINER, Position.FIRST);
            move(init, Annotations.INIT_CONTAINER, Position.FIRST);
        } else {
            move(init, Annotations.VALIDATION_CONTAINER, Position.FIRST);
            move(init, Annotations.INIT_CONTAINER, Position.LAST);
            move(init, Annotations.CORE_DUMP_CONTAINER, Position.LAST);
        }
    }

    private static Set<String> beforeProxy(String annotation) {
        Set<String> names = new LinkedHashSet<>();
        if (annotation != null && !annotation.isEmpty()) {
            for (String n : annotation.split(",")) {
                names.add(n);
            }
        }
        return names;
    }

    /** Moves the container named {@code name} to the front or the back; no-op when absent. */
    private static void move(ArrayNode list, String name, Position position) {
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            if (item instanceof ObjectNode o && name.equals(Trees.text(o, "name"))) {
                list.remove(i);
                if (position == Position.FIRST) {
                    list.insert(0, o);
                } else {
                    list.add(o);
                }
                return;
            }
        }
    }
}
