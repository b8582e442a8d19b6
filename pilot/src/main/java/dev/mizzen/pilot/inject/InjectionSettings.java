package dev.mizzen.pilot.inject;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything injection depends on besides the pod: the policy, the templates, the Helm-style values (hub, tag,
 * proxy settings), the mesh config and the layout of the sidecar. Nothing of it is a constant in code: the
 * defaults are the resource files under {@code inject/} (Istio's defaults), and a cluster or a local file
 * overlays them the way Istio's istio-sidecar-injector and istio ConfigMaps do.
 * <p>
 * The trees are copied on the way in and never handed out for writing; treat the record as immutable.
 *
 * @param config              policy, default templates, selectors, ignored namespaces
 * @param templates           template name to Pebble source ({@code sidecar}, {@code grpc-agent}, ...)
 * @param values              the values the templates read ({@code values.global.hub}, ...)
 * @param meshConfig          MeshConfig as YAML tree ({@code defaultConfig}, {@code trustDomain}, ...)
 * @param proxyConfigDefaults Istio's built-in ProxyConfig defaults: the base of every pod's proxy config, and
 *                            what PROXY_CONFIG leaves out
 * @param revision            the control plane revision this injector serves; "" is the default revision
 * @param layout              native sidecar (init container) or classic (regular container)
 */
public record InjectionSettings(InjectionConfig config, Map<String, String> templates, ObjectNode values,
                                ObjectNode meshConfig, ObjectNode proxyConfigDefaults, String revision,
                                SidecarLayout layout) {
    private static final String RESOURCES = "inject/";

    public InjectionSettings {
        templates = Map.copyOf(templates);
        values = values.deepCopy();
        meshConfig = meshConfig.deepCopy();
        proxyConfigDefaults = proxyConfigDefaults.deepCopy();
        revision = revision == null ? "" : revision;
        layout = layout == null ? SidecarLayout.NATIVE : layout;
    }

    /** Istio's defaults, shipped as resources: default revision, native sidecars. */
    public static InjectionSettings defaults() {
        ObjectNode configNode = yamlObject(resource("config.yaml"), "inject/config.yaml");
        Map<String, String> templates = new LinkedHashMap<>();
        ObjectNode declared = Trees.obj(configNode, "templates");
        if (declared != null) {
            for (String name : declared.propertyNames()) {
                templates.put(name, resource("templates/" + name + ".peb"));
            }
        }
        return new InjectionSettings(InjectionConfig.from(configNode), templates,
                yamlObject(resource("values.yaml"), "inject/values.yaml"),
                yamlObject(resource("mesh.yaml"), "inject/mesh.yaml"),
                yamlObject(resource("proxy-config-defaults.yaml"), "inject/proxy-config-defaults.yaml"), "",
                SidecarLayout.NATIVE);
    }

    /**
     * The defaults overlaid with what a cluster or the command line gives; any argument may be null.
     *
     * @param injectConfigYaml the istio-sidecar-injector {@code config}: policy, selectors and {@code templates}
     *                         (name to Pebble source, added to or replacing the shipped ones)
     * @param valuesYaml       values merged over the default values, as Helm merges a values file
     * @param meshConfigYaml   MeshConfig merged over the default mesh config
     */
    public static InjectionSettings fromSources(String injectConfigYaml, String valuesYaml, String meshConfigYaml) {
        InjectionSettings s = defaults();
        if (injectConfigYaml != null) {
            s = s.withInjectConfig(injectConfigYaml);
        }
        if (valuesYaml != null) {
            s = s.withValues(valuesYaml);
        }
        if (meshConfigYaml != null) {
            s = s.withMeshConfig(meshConfigYaml);
        }
        return s;
    }

    /** These settings with the injector config's fields replaced where given and its templates added. */
    public InjectionSettings withInjectConfig(String yaml) {
        ObjectNode given = yamlObject(yaml, "inject config");
        ObjectNode merged = Trees.object();
        merged.set("policy", Trees.NODES.stringNode(config.policy().name().toLowerCase()));
        merged.set("defaultTemplates", Trees.toTree(config.defaultTemplates()));
        merged.set("aliases", Trees.toTree(config.aliases()));
        merged.set("injectedAnnotations", Trees.toTree(config.injectedAnnotations()));
        merged.set("ignoredNamespaces", Trees.toTree(config.ignoredNamespaces()));
        merged.set("neverInjectSelector", Trees.toTree(config.neverInjectSelector()));
        merged.set("alwaysInjectSelector", Trees.toTree(config.alwaysInjectSelector()));
        for (String field : given.propertyNames()) {
            if (!field.equals("templates") && !given.get(field).isNull()) {
                merged.set(field, given.get(field));
            }
        }
        Map<String, String> t = new LinkedHashMap<>(templates);
        ObjectNode extra = Trees.obj(given, "templates");
        if (extra != null) {
            for (Map.Entry<String, JsonNode> e : extra.properties()) {
                if (!e.getValue().isString()) {
                    throw new IllegalArgumentException("inject config: template '" + e.getKey() + "' is not text");
                }
                t.put(e.getKey(), e.getValue().asString());
            }
        }
        return new InjectionSettings(InjectionConfig.from(merged), t, values, meshConfig, proxyConfigDefaults,
                revision, layout);
    }

    /** These settings with {@code yaml} merged over the values (objects key by key, the rest replaced). */
    public InjectionSettings withValues(String yaml) {
        return new InjectionSettings(config, templates, Trees.overlay(values, yamlObject(yaml, "values")),
                meshConfig, proxyConfigDefaults, revision, layout);
    }

    /** These settings with {@code yaml} merged over the mesh config. */
    public InjectionSettings withMeshConfig(String yaml) {
        return new InjectionSettings(config, templates, values,
                Trees.overlay(meshConfig, yamlObject(yaml, "mesh config")), proxyConfigDefaults, revision, layout);
    }

    public InjectionSettings withRevision(String revision) {
        return new InjectionSettings(config, templates, values, meshConfig, proxyConfigDefaults, revision, layout);
    }

    public InjectionSettings withLayout(SidecarLayout layout) {
        return new InjectionSettings(config, templates, values, meshConfig, proxyConfigDefaults, revision, layout);
    }

    /** The revision as the status annotation and istio.io/rev name it. */
    String revisionName() {
        return revision.isEmpty() ? "default" : revision;
    }

    private static ObjectNode yamlObject(String yaml, String what) {
        try {
            JsonNode node = Trees.YAML.readTree(yaml);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return Trees.object();
            }
            if (!(node instanceof ObjectNode o)) {
                throw new IllegalArgumentException(what + " is not a YAML mapping");
            }
            return o;
        } catch (JacksonException e) {
            throw new IllegalArgumentException(what + " is not valid YAML: " + e.getOriginalMessage(), e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = InjectionSettings.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCES + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
