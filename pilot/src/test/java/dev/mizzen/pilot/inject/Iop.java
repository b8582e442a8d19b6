package dev.mizzen.pilot.inject;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * An IstioOperator file of Istio's injection tests as our settings: its {@code spec.values} overlay the values;
 * its {@code sidecarInjectorWebhook.templates}, written in Go template syntax, are replaced by their Pebble ports
 * in test resources {@code inject/istio-pebble/<name>.peb} (a user of ours writes templates in Pebble).
 */
final class Iop {
    private Iop() {
    }

    static InjectionSettings apply(InjectionSettings settings, String file) {
        ObjectNode iop = Fixtures.yaml(Fixtures.istio(file));
        ObjectNode values = Trees.obj(Trees.obj(iop, "spec"), "values");
        if (values == null) {
            return settings;
        }
        values = values.deepCopy();
        ObjectNode templates = Trees.obj(Trees.obj(values, "sidecarInjectorWebhook"), "templates");
        if (templates != null) {
            ObjectNode ported = Trees.object();
            for (Map.Entry<String, JsonNode> t : templates.properties()) {
                ported.put(t.getKey(), Fixtures.resource("inject/istio-pebble/" + t.getKey() + ".peb"));
            }
            ((ObjectNode) values.get("sidecarInjectorWebhook")).remove("templates");
            settings = settings.withInjectConfig(Trees.YAML.writeValueAsString(Trees.object().set("templates", ported)));
        }
        return settings.withValues(Trees.YAML.writeValueAsString(values));
    }
}
