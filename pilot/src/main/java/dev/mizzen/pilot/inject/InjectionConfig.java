package dev.mizzen.pilot.inject;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The injector's policy, the {@code config} key of Istio's istio-sidecar-injector ConfigMap minus the templates
 * (those are in {@link InjectionSettings#templates()}).
 *
 * @param policy               ENABLED: inject what the webhook selects unless the pod opts out; DISABLED: only
 *                             pods that opt in (sidecar.istio.io/inject=true or alwaysInjectSelector)
 * @param defaultTemplates     templates applied when a pod names none in inject.istio.io/templates
 * @param aliases              a name standing for several templates, expanded once
 * @param neverInjectSelector  pods whose labels match one of these are not injected (unless they opt in)
 * @param alwaysInjectSelector pods whose labels match one of these are injected (unless they opt out)
 * @param injectedAnnotations  added to every injected pod
 * @param ignoredNamespaces    namespaces never injected (Istio: kube-system, kube-public, kube-node-lease,
 *                             local-path-storage)
 */
public record InjectionConfig(Policy policy, List<String> defaultTemplates, Map<String, List<String>> aliases,
                              List<LabelSelector> neverInjectSelector, List<LabelSelector> alwaysInjectSelector,
                              Map<String, String> injectedAnnotations, List<String> ignoredNamespaces) {
    public enum Policy { ENABLED, DISABLED }

    public InjectionConfig {
        defaultTemplates = defaultTemplates == null || defaultTemplates.isEmpty()
                ? List.of("sidecar") : List.copyOf(defaultTemplates);
        aliases = aliases == null ? Map.of() : Map.copyOf(aliases);
        neverInjectSelector = neverInjectSelector == null ? List.of() : List.copyOf(neverInjectSelector);
        alwaysInjectSelector = alwaysInjectSelector == null ? List.of() : List.copyOf(alwaysInjectSelector);
        injectedAnnotations = injectedAnnotations == null ? Map.of() : Map.copyOf(injectedAnnotations);
        ignoredNamespaces = ignoredNamespaces == null ? List.of() : List.copyOf(ignoredNamespaces);
    }

    /** Reads the config mapping; throws IllegalArgumentException naming the field that is wrong. */
    static InjectionConfig from(JsonNode node) {
        String policy = Trees.text(node, "policy");
        Policy p = switch (policy) {
            case "", "enabled" -> Policy.ENABLED;
            case "disabled" -> Policy.DISABLED;
            default -> throw new IllegalArgumentException("policy '" + policy + "' must be enabled or disabled");
        };
        Map<String, List<String>> aliases = new LinkedHashMap<>();
        JsonNode a = Trees.obj(node, "aliases");
        if (a != null) {
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                aliases.put(e.getKey(), strings(e.getValue()));
            }
        }
        return new InjectionConfig(p, strings(node.get("defaultTemplates")), aliases,
                selectors(node.get("neverInjectSelector")), selectors(node.get("alwaysInjectSelector")),
                Trees.stringMap(Trees.obj(node, "injectedAnnotations")), strings(node.get("ignoredNamespaces")));
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(n -> out.add(n.asString()));
        }
        return out;
    }

    private static List<LabelSelector> selectors(JsonNode node) {
        List<LabelSelector> out = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(n -> out.add(LabelSelector.from(n)));
        }
        return out;
    }

    /** The template names for a pod: its inject.istio.io/templates annotation, else the defaults; aliases expanded. */
    List<String> templatesFor(Map<String, String> annotations) {
        List<String> names = new ArrayList<>();
        String requested = annotations.get(Annotations.TEMPLATES);
        if (requested != null) {
            for (String n : requested.split(",")) {
                names.add(n.trim());
            }
        } else {
            names.addAll(defaultTemplates);
        }
        List<String> out = new ArrayList<>();
        for (String n : names) {
            out.addAll(aliases.getOrDefault(n, List.of(n)));
        }
        return out;
    }
}
