package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.ConfigMeta;
import dev.mizzen.api.config.ConfigSnapshot;
import dev.mizzen.api.config.SpecReadException;
import dev.mizzen.api.config.SpecReader;
import dev.mizzen.galley.manifest.ManifestDocument;
import dev.mizzen.galley.manifest.Position;
import dev.mizzen.galley.pipeline.ObjectValidator;
import dev.mizzen.galley.schema.CrdSchemas;
import dev.mizzen.galley.validation.Finding;
import dev.mizzen.galley.validation.IstioValidator;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an {@link AnalysisInput} from manifest documents (what {@code istiod analyze -f} reads): Istio config,
 * Services, Namespaces, Pods and workload controllers, the injector's ConfigMaps, Secrets (reduced to
 * {@link KubeSecret}), {@code kind: List} expanded. Remembers where each object
 * was written, so a message can name {@code file:line} as istioctl does. An Istio object whose spec does not fit
 * its type is reported (IST0106) and left out of the other checks. Not thread-safe: one builder per run.
 */
public final class ManifestInputs {
    /** Whether the CRD schema stage runs on Istio objects read from files. */
    public enum SchemaStage { CRD_SCHEMA, NONE }

    private record Located(String file, ManifestDocument document, String pathPrefix) {
    }


    private final String defaultNamespace;
    private final ObjectValidator schema;
    private final List<Config<?>> configs = new ArrayList<>();
    private final List<KubeService> services = new ArrayList<>();
    private final List<KubeWorkload> workloads = new ArrayList<>();
    private final List<KubeNamespace> namespaces = new ArrayList<>();
    private final List<DiagMessage> earlier = new ArrayList<>();
    private final Map<Origin, Located> locations = new HashMap<>();
    private final List<InjectorConfigMap> injectors = new ArrayList<>();
    private final List<KubeSecret> secrets = new ArrayList<>();

    /**
     * @param defaultNamespace the namespace of objects that name none ({@code ""} keeps them without one, as
     *                         Istio's analyzer tests do)
     */
    public ManifestInputs(String defaultNamespace, SchemaStage stage) {
        this.defaultNamespace = defaultNamespace;
        this.schema = stage == SchemaStage.CRD_SCHEMA
                ? new ObjectValidator(CrdSchemas.shipped(), new IstioValidator(), EnumSet.of(ObjectValidator.Stage.SCHEMA))
                : null;
    }

    /** Adds every object of a document; returns how many objects it held. */
    public int add(String file, ManifestDocument doc) {
        if ("List".equals(doc.kind()) && doc.content().get("items") instanceof List<?> items) {
            int n = 0;
            for (int i = 0; i < items.size(); i++) {
                n += addObject(file, doc, KubeObjects.map(items.get(i)), "items[" + i + "].");
            }
            return n;
        }
        return addObject(file, doc, doc.content(), "");
    }

    /**
     * Adds the stand-in ingress gateway Istio's file-only analysis adds ({@code AddDefaultResources}): a pod
     * labelled {@code istio=ingressgateway} and its Service {@code istio-ingressgateway} (ports 80, 443, 31400,
     * 15443) in the root namespace, so Gateways selecting the default ingress are not reported for want of it.
     */
    public void addDefaultIngressGateway(String rootNamespace) {
        Map<String, String> labels = Map.of("istio", "ingressgateway");
        workloads.add(new KubeWorkload("Pod", rootNamespace, "istio-ingressgateway-dummypod", labels, Map.of(), labels,
                Map.of(), List.of("istio-proxy"), List.of(), "", KubeWorkload.PodNetwork.POD));
        services.add(new KubeService(rootNamespace, "istio-ingressgateway", Map.of(), Map.of(), labels, "ClusterIP",
                List.of(new KubeServicePort("http2", 80, "TCP", "80", ""),
                        new KubeServicePort("https", 443, "TCP", "443", ""),
                        new KubeServicePort("tcp", 31400, "TCP", "31400", ""),
                        new KubeServicePort("tls", 15443, "TCP", "15443", ""))));
    }

    /** Adds one object read from a cluster (no file, no line). */
    public int add(Map<String, Object> object) {
        return addObject(null, null, object, "");
    }

    private int addObject(String file, ManifestDocument doc, Map<String, Object> object, String prefix) {
        String apiVersion = KubeObjects.str(object.get("apiVersion"));
        String kind = KubeObjects.str(object.get("kind"));
        Map<String, Object> meta = KubeObjects.map(object.get("metadata"));
        String namespace = KubeObjects.namespace(meta, defaultNamespace);
        String name = KubeObjects.str(meta.get("name"));
        Located where = doc == null ? null : new Located(file, doc, prefix);
        if ("v1".equals(apiVersion) && "ConfigMap".equals(kind) && name.startsWith(InjectorConfigMap.NAME)) {
            injectors.add(KubeObjects.injectorConfigMap(object));
            return 1;
        }
        if ("v1".equals(apiVersion) && "Secret".equals(kind)) {
            secrets.add(KubeObjects.secret(object, defaultNamespace));
            return 1;
        }
        if (KubeObjects.isKubeKind(apiVersion, kind)) {
            switch (kind) {
                case "Service" -> services.add(KubeObjects.service(object, defaultNamespace));
                case "Namespace" -> namespaces.add(KubeObjects.namespace(object));
                default -> workloads.add(KubeObjects.workload(object, defaultNamespace));
            }
            if (where != null) {
                locations.put(new Origin(kind, kind.equals("Namespace") ? "" : namespace, name), where);
            }
            return 1;
        }
        var configKind = ConfigKind.of(apiVersion, kind);
        if (configKind.isEmpty()) {
            return 0;
        }
        Origin origin = new Origin(kind, namespace, name);
        if (where != null) {
            locations.put(origin, where);
        }
        if (schema != null) {
            for (Finding f : schema.validate(object).findings()) {
                earlier.add(SchemaMessages.of(origin, f));
            }
        }
        try {
            Object spec = SpecReader.read(configKind.get(), object.get("spec"));
            configs.add(config(configKind.get(), namespace, name, meta, spec));
        } catch (SpecReadException e) {
            if (schema == null) {
                earlier.add(SchemaMessages.of(origin, Finding.error("spec", e.getMessage())));
            }
        }
        return 1;
    }

    private static <S> Config<S> config(ConfigKind<S> kind, String ns, String name, Map<String, Object> meta, Object spec) {
        Instant created = Instant.EPOCH;
        try {
            String ts = KubeObjects.str(meta.get("creationTimestamp"));
            created = ts.isEmpty() ? Instant.EPOCH : Instant.parse(ts);
        } catch (DateTimeParseException ignored) {
            // a file's timestamp is informational; keep the epoch
        }
        ConfigMeta m = new ConfigMeta(KubeObjects.strings(meta.get("labels")), KubeObjects.strings(meta.get("annotations")),
                created, "", 0);
        return new Config<>(ConfigKey.of(kind, ns, name), m, kind.cast(spec));
    }

    public AnalysisInput input(MeshOptions mesh) {
        return new AnalysisInput(ConfigSnapshot.of(configs), services, workloads, namespaces, mesh, earlier, injectors,
                secrets);
    }

    /** Where a message points, {@code file:line}; empty when its object came from nowhere we read. */
    public String reference(DiagMessage message) {
        Located at = locations.get(message.origin());
        if (at == null) {
            return "";
        }
        Position p = message.field() == null ? (at.pathPrefix().isEmpty() ? at.document().start()
                : at.document().position(at.pathPrefix().substring(0, at.pathPrefix().length() - 1)))
                : at.document().position(at.pathPrefix() + message.field());
        return at.file() + ":" + p.line();
    }
}
