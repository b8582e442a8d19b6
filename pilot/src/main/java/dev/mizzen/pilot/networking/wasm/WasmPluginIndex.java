package dev.mizzen.pilot.networking.wasm;

import com.google.protobuf.Any;
import com.google.protobuf.StringValue;
import dev.mizzen.api.config.Config;
import dev.mizzen.api.extensions.WasmPlugin;
import dev.mizzen.api.security.PolicyTargetReference;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.core.v3.AsyncDataSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.HttpUri;
import io.envoyproxy.envoy.config.core.v3.RemoteDataSource;
import io.envoyproxy.envoy.extensions.wasm.v3.EnvironmentVariables;
import io.envoyproxy.envoy.extensions.wasm.v3.FailurePolicy;
import io.envoyproxy.envoy.extensions.wasm.v3.PluginConfig;
import io.envoyproxy.envoy.extensions.wasm.v3.VmConfig;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The WasmPlugins of one push, each already turned into the Wasm plugin config Istio's agent expects
 * (pilot/pkg/model/extensions.go): served over ECDS as {@code extensions.istio.io/wasmplugin/<namespace>.<name>}
 * (Istio's prefix, so a plugin never collides with an EnvoyFilter's extension config), the plugin itself named
 * {@code <namespace>.<name>}, root id {@code pluginName}, the module at {@code vm_config.code.remote.http_uri.uri}
 * (the URL as written, {@code oci://} when it has no scheme; a {@code file://} URL becomes a local file) with its
 * {@code sha256} and cluster {@code _} (the agent fetches it), {@code failure_policy} from {@code failStrategy}
 * (Istio 1.25 and later), and in the VM's environment the pull policy ({@code ISTIO_META_WASM_IMAGE_PULL_POLICY}),
 * the pull secret ({@code ISTIO_META_WASM_IMAGE_PULL_SECRET}) and the resource version
 * ({@code ISTIO_META_WASM_PLUGIN_RESOURCE_VERSION}) for the agent, the inline variables and the host ones.
 * A proxy gets the plugins of its own namespace and of the root namespace that select it. Immutable.
 */
public final class WasmPluginIndex {
    public static final WasmPluginIndex EMPTY = new WasmPluginIndex(Map.of(), "istio-system");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";
    static final String SECRET_ENV = "ISTIO_META_WASM_IMAGE_PULL_SECRET";
    static final String POLICY_ENV = "ISTIO_META_WASM_IMAGE_PULL_POLICY";
    static final String VERSION_ENV = "ISTIO_META_WASM_PLUGIN_RESOURCE_VERSION";
    /** Istio's WasmPluginResourceNamePrefix */
    public static final String RESOURCE_PREFIX = "extensions.istio.io/wasmplugin/";

    /**
     * One WasmPlugin ready to place and to serve over ECDS.
     *
     * @param phase    AUTHN, AUTHZ, STATS or UNSPECIFIED_PHASE
     * @param priority higher first within a phase; none sorts last (Istio's MinInt32)
     * @param network  a network filter ({@code type: NETWORK}) rather than an HTTP one
     */
    public record Plugin(String resourceName, String phase, int priority, boolean network,
                         List<WasmPlugin.TrafficSelector> match, PluginConfig config, Config<WasmPlugin> source) {
    }

    private final Map<String, List<Plugin>> byNamespace;
    private final String rootNamespace;

    private WasmPluginIndex(Map<String, List<Plugin>> byNamespace, String rootNamespace) {
        this.byNamespace = byNamespace;
        this.rootNamespace = rootNamespace;
    }

    public static WasmPluginIndex build(List<Config<WasmPlugin>> plugins, String rootNamespace) {
        Map<String, List<Plugin>> byNamespace = new HashMap<>();
        for (Config<WasmPlugin> c : plugins) {
            WasmPlugin spec = c.spec();
            String phase = spec.phase() == null || spec.phase().isEmpty() ? "UNSPECIFIED_PHASE" : spec.phase();
            byNamespace.computeIfAbsent(c.namespace(), k -> new ArrayList<>()).add(new Plugin(
                    RESOURCE_PREFIX + c.namespace() + "." + c.name(), phase,
                    spec.priority() == null ? Integer.MIN_VALUE : spec.priority(),
                    "NETWORK".equals(spec.type()), spec.match(), pluginConfig(c), c));
        }
        // Istio's sortConfigByCreationTime: oldest first, then by name
        byNamespace.replaceAll((k, v) -> v.stream().sorted(Comparator.comparing((Plugin p) -> p.source().meta()
                .creationTimestamp(), Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(p -> p.source().name())).toList());
        return new WasmPluginIndex(Map.copyOf(byNamespace), rootNamespace);
    }

    public boolean isEmpty() {
        return byNamespace.isEmpty();
    }

    /**
     * The plugins that apply to a proxy as Istio lists them (TrafficExtensionsByListenerInfo): its namespace's, then
     * the root namespace's, each oldest first, then stably sorted by priority, highest first.
     */
    public List<Plugin> forProxy(String namespace, Map<String, String> labels) {
        List<Plugin> out = new ArrayList<>(selecting(namespace, labels));
        if (!namespace.equals(rootNamespace)) {
            out.addAll(selecting(rootNamespace, labels));
        }
        out.sort(Comparator.comparingInt(Plugin::priority).reversed());
        return List.copyOf(out);
    }

    private List<Plugin> selecting(String namespace, Map<String, String> labels) {
        return byNamespace.getOrDefault(namespace, List.of()).stream().filter(p -> selects(p.source().spec(), labels)).toList();
    }

    private static boolean selects(WasmPlugin spec, Map<String, String> labels) {
        List<PolicyTargetReference> refs = new ArrayList<>(spec.targetRefs());
        if (spec.targetRef() != null) {
            refs.add(spec.targetRef());
        }
        if (!refs.isEmpty()) {
            return refs.stream().anyMatch(r -> "Gateway".equals(r.kind()) && r.name() != null
                    && r.name().equals(labels.get(GATEWAY_NAME_LABEL)));
        }
        return spec.selector() == null || labels.entrySet().containsAll(spec.selector().matchLabels().entrySet());
    }

    private static PluginConfig pluginConfig(Config<WasmPlugin> c) {
        WasmPlugin spec = c.spec();
        PluginConfig.Builder cfg = PluginConfig.newBuilder().setName(c.namespace() + "." + c.name())
                .setRootId(spec.pluginName() == null ? "" : spec.pluginName())
                .setFailurePolicy(failurePolicy(spec.failStrategy()));
        if (!spec.pluginConfig().isEmpty()) {
            cfg.setConfiguration(Any.pack(StringValue.of(JSON.writeValueAsString(spec.pluginConfig()))));
        } else {
            cfg.setConfiguration(Any.getDefaultInstance());
        }
        EnvironmentVariables.Builder env = EnvironmentVariables.newBuilder();
        if (spec.imagePullSecret() != null && !spec.imagePullSecret().isEmpty()) {
            // Istio puts the secret's content here (the agent pulls with it and strips it); Mizzen does not read
            // pull secrets yet, and sends what Istio sends for a secret it cannot find: an empty value
            env.putKeyValues(SECRET_ENV, "");
        }
        if (spec.imagePullPolicy() != null && !spec.imagePullPolicy().equals("UNSPECIFIED_POLICY")) {
            env.putKeyValues(POLICY_ENV, spec.imagePullPolicy());
        }
        env.putKeyValues(VERSION_ENV, c.meta().resourceVersion());
        if (spec.vmConfig() != null) {
            for (WasmPlugin.EnvVar e : spec.vmConfig().env()) {
                if ("HOST".equals(e.valueFrom())) {
                    env.addHostEnvKeys(e.name());
                } else {
                    env.putKeyValues(e.name(), e.value() == null ? "" : e.value());
                }
            }
        }
        cfg.setVmConfig(VmConfig.newBuilder().setRuntime("envoy.wasm.runtime.v8").setCode(code(spec))
                .setEnvironmentVariables(env));
        return cfg.build();
    }

    /** FAIL_CLOSE (the default) is FAIL_CLOSED, as Istio sets it for proxies of 1.25 and later. */
    private static FailurePolicy failurePolicy(String failStrategy) {
        return switch (failStrategy == null ? "FAIL_CLOSE" : failStrategy) {
            case "FAIL_OPEN" -> FailurePolicy.FAIL_OPEN;
            case "FAIL_RELOAD" -> FailurePolicy.FAIL_RELOAD;
            default -> FailurePolicy.FAIL_CLOSED;
        };
    }

    private static AsyncDataSource code(WasmPlugin spec) {
        String url = spec.url();
        if (url.startsWith("file://")) {
            return AsyncDataSource.newBuilder().setLocal(DataSource.newBuilder().setFilename(url.substring("file://".length())))
                    .build();
        }
        String withScheme = url.contains("://") ? url : "oci://" + url;
        return AsyncDataSource.newBuilder().setRemote(RemoteDataSource.newBuilder()
                .setHttpUri(HttpUri.newBuilder().setUri(withScheme).setCluster("_")
                        .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(30)))
                .setSha256(spec.sha256() == null ? "" : spec.sha256())).build();
    }

    /** The ECDS resource of a plugin: its Wasm filter, HTTP or network. */
    public static io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig extensionConfig(Plugin p) {
        Any typed = p.network()
                ? XdsResource.pack(io.envoyproxy.envoy.extensions.filters.network.wasm.v3.Wasm.newBuilder().setConfig(p.config()).build())
                : XdsResource.pack(io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm.newBuilder().setConfig(p.config()).build());
        return io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig.newBuilder().setName(p.resourceName())
                .setTypedConfig(typed).build();
    }
}
