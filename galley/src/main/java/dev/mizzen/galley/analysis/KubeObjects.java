package dev.mizzen.galley.analysis;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Kubernetes objects as plain values ({@code Map}/{@code List}/scalars, as a manifest or an unstructured object
 * holds them) made into analysis's model. Lenient: a missing or mistyped field reads as absent.
 */
public final class KubeObjects {
    /** Bound on the injector values read (a ConfigMap holds at most 1 MiB). */
    private static final int MAX_VALUES_CHARS = 1 << 20;
    private static final Set<String> CONTROLLERS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
            "Job", "ReplicationController");
    private static final List<String> SECRET_CREDENTIAL_KEYS = List.of("cert", "key", "tls.crt", "tls.key");

    private KubeObjects() {
    }

    /** True for the kinds analysis reads: Service, Namespace, Pod and workload controllers. */
    public static boolean isKubeKind(String apiVersion, String kind) {
        if (apiVersion == null || kind == null || apiVersion.contains(".istio.io/")) {
            return false;
        }
        return kind.equals("Service") || kind.equals("Namespace") || kind.equals("Pod") || CONTROLLERS.contains(kind);
    }

    public static KubeService service(Map<String, Object> object, String defaultNamespace) {
        Map<String, Object> meta = map(object.get("metadata"));
        Map<String, Object> spec = map(object.get("spec"));
        List<KubeServicePort> ports = new ArrayList<>();
        for (Object o : list(spec.get("ports"))) {
            Map<String, Object> p = map(o);
            ports.add(new KubeServicePort(str(p.get("name")), integer(p.get("port")), str(p.get("protocol")),
                    p.get("targetPort") == null ? "" : String.valueOf(p.get("targetPort")), str(p.get("appProtocol"))));
        }
        return new KubeService(namespace(meta, defaultNamespace), str(meta.get("name")), strings(meta.get("labels")),
                strings(meta.get("annotations")), strings(spec.get("selector")), str(spec.get("type")), ports);
    }

    public static KubeNamespace namespace(Map<String, Object> object) {
        Map<String, Object> meta = map(object.get("metadata"));
        return new KubeNamespace(str(meta.get("name")), strings(meta.get("labels")), strings(meta.get("annotations")));
    }

    /** A Pod, or a controller by its pod template. */
    public static KubeWorkload workload(Map<String, Object> object, String defaultNamespace) {
        String kind = str(object.get("kind"));
        Map<String, Object> meta = map(object.get("metadata"));
        Map<String, Object> podMeta = meta;
        Map<String, Object> podSpec = map(object.get("spec"));
        if (!kind.equals("Pod")) {
            Map<String, Object> template = map(podSpec.get("template"));
            if (kind.equals("Job") || template.isEmpty()) {
                template = template.isEmpty() ? map(map(map(podSpec.get("jobTemplate")).get("spec")).get("template"))
                        : template;
            }
            podMeta = map(template.get("metadata"));
            podSpec = map(template.get("spec"));
        }
        List<String> containers = new ArrayList<>();
        List<Long> users = new ArrayList<>();
        String proxyImage = "";
        runAsUser(map(podSpec.get("securityContext"))).ifPresent(users::add);
        for (String field : List.of("initContainers", "containers")) {
            for (Object o : list(podSpec.get(field))) {
                Map<String, Object> c = map(o);
                containers.add(str(c.get("name")));
                if (str(c.get("name")).equals("istio-proxy") && proxyImage.isEmpty()) {
                    proxyImage = str(c.get("image"));
                }
                runAsUser(map(c.get("securityContext"))).ifPresent(users::add);
            }
        }
        KubeWorkload.PodNetwork network = Boolean.TRUE.equals(podSpec.get("hostNetwork"))
                ? KubeWorkload.PodNetwork.HOST : KubeWorkload.PodNetwork.POD;
        return new KubeWorkload(kind, namespace(meta, defaultNamespace), str(meta.get("name")),
                strings(meta.get("labels")), strings(meta.get("annotations")), strings(podMeta.get("labels")),
                strings(podMeta.get("annotations")), containers, users, proxyImage, network);
    }

    /**
     * A Secret ({@code v1}) as the gateway credential check needs it: only the certificate and key entries are read,
     * {@code data} base64-decoded and {@code stringData} taken as written (and winning, as the API server merges
     * them). An entry that is not base64 reads as absent.
     */
    public static KubeSecret secret(Map<String, Object> object, String defaultNamespace) {
        Map<String, Object> meta = map(object.get("metadata"));
        Map<String, Object> data = map(object.get("data"));
        Map<String, Object> stringData = map(object.get("stringData"));
        Map<String, byte[]> entries = new java.util.HashMap<>();
        for (String key : SECRET_CREDENTIAL_KEYS) {
            if (stringData.get(key) instanceof String s) {
                entries.put(key, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else if (data.get(key) instanceof String s) {
                try {
                    entries.put(key, java.util.Base64.getMimeDecoder().decode(s));
                } catch (IllegalArgumentException e) {
                    // left out: the API server would not have taken it
                }
            }
        }
        return SecretCredentials.secret(namespace(meta, defaultNamespace), str(meta.get("name")), entries);
    }

    private static Optional<Long> runAsUser(Map<String, Object> securityContext) {
        return securityContext.get("runAsUser") instanceof Number n ? Optional.of(n.longValue()) : Optional.empty();
    }

    static String namespace(Map<String, Object> meta, String defaultNamespace) {
        String ns = str(meta.get("namespace"));
        return ns.isEmpty() ? defaultNamespace : ns;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static List<Object> list(Object o) {
        return o instanceof List<?> l ? new ArrayList<>(l) : List.of();
    }

    static String str(Object o) {
        return o instanceof String s ? s : "";
    }

    private static int integer(Object o) {
        if (o instanceof Number n) {
            return n.intValue();
        }
        try {
            return o instanceof String s ? Integer.parseInt(s) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static Map<String, String> strings(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        map(o).forEach((k, v) -> {
            if (v != null) {
                out.put(k, String.valueOf(v));
            }
        });
        return out;
    }

    /**
     * An injector ConfigMap: from its {@code values} (JSON), the proxy image it injects and whether it enables
     * namespaces by default ({@code sidecarInjectorWebhook.enableNamespacesByDefault}); opt-in and no image when the
     * values are absent or unreadable.
     */
    public static InjectorConfigMap injectorConfigMap(Map<String, Object> configMap) {
        String name = str(map(configMap.get("metadata")).get("name"));
        String values = str(map(configMap.get("data")).get("values"));
        Map<String, Object> parsed;
        try {
            parsed = values.isEmpty() ? Map.of()
                    : map(new Load(LoadSettings.builder().setCodePointLimit(MAX_VALUES_CHARS).build()).loadFromString(values));
        } catch (RuntimeException e) {
            parsed = Map.of();
        }
        Map<String, Object> global = map(parsed.get("global"));
        String image = str(map(global.get("proxy")).get("image"));
        String proxyImage = parsed.isEmpty() ? "" : image.contains("/") ? image
                : str(global.get("hub")) + "/" + image + ":" + str(global.get("tag"));
        Object enabled = map(parsed.get("sidecarInjectorWebhook")).get("enableNamespacesByDefault");
        return new InjectorConfigMap(name, proxyImage, Boolean.TRUE.equals(enabled)
                ? InjectorConfigMap.NamespaceInjection.ENABLED_BY_DEFAULT : InjectorConfigMap.NamespaceInjection.OPT_IN);
    }
}
