package dev.mizzen.galley.schema;

import dev.mizzen.galley.manifest.ManifestDocument;
import dev.mizzen.galley.manifest.ManifestException;
import dev.mizzen.galley.manifest.ManifestReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The schemas of the CRDs we ship ({@code install/kubernetes/crds/}, packaged into galley's jar), by group,
 * version and kind. Only served versions are kept, as the apiserver refuses the others.
 *
 * <p>Thread-safe: built once, then only read. {@link #shipped()} reads the CRDs on first use (about half a
 * second), so processes that never validate a schema never pay for it.
 */
public final class CrdSchemas {
    /** The CRD files in galley's jar, copied there from install/kubernetes/crds at build time. */
    static final String RESOURCE_DIR = "dev/mizzen/galley/schema/crds/";
    static final List<String> SHIPPED_FILES = List.of("crd-all.gen.yaml");

    private final Map<String, KindSchema> byKey;

    private CrdSchemas(Map<String, KindSchema> byKey) {
        this.byKey = byKey;
    }

    /** The CRDs we ship. */
    public static CrdSchemas shipped() {
        return Shipped.INSTANCE;
    }

    /** Reads CRDs from manifests; documents of other kinds are ignored. */
    public static CrdSchemas of(Collection<ManifestDocument> documents) {
        Map<String, KindSchema> byKey = new LinkedHashMap<>();
        for (ManifestDocument doc : documents) {
            if (!"CustomResourceDefinition".equals(doc.kind())
                    || !(doc.content().get("spec") instanceof Map<?, ?> spec)) {
                continue;
            }
            String group = String.valueOf(spec.get("group"));
            String kind = String.valueOf(((Map<?, ?>) spec.get("names")).get("kind"));
            for (Object v : (List<?>) spec.get("versions")) {
                Map<?, ?> version = (Map<?, ?>) v;
                if (Boolean.FALSE.equals(version.get("served"))) {
                    continue;
                }
                String name = String.valueOf(version.get("name"));
                Map<?, ?> schema = (Map<?, ?>) ((Map<?, ?>) version.get("schema")).get("openAPIV3Schema");
                StructuralSchema root = StructuralSchema.parse(schema);
                CelEnvironment cel = new CelEnvironment("k8s." + kind + "." + name, root);
                byKey.put(key(group + "/" + name, kind), new KindSchema(group, name, kind, root, cel));
            }
        }
        return new CrdSchemas(byKey);
    }

    /** The schema for an object's {@code apiVersion} and {@code kind}, if a CRD serves them. */
    public Optional<KindSchema> find(String apiVersion, String kind) {
        return Optional.ofNullable(byKey.get(key(apiVersion, kind)));
    }

    /** Every kind and version. */
    public Collection<KindSchema> all() {
        return byKey.values();
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + " " + kind;
    }

    /** Lazy holder: the shipped CRDs are read when first asked for. */
    private static final class Shipped {
        static final CrdSchemas INSTANCE = load();

        private static CrdSchemas load() {
            List<ManifestDocument> documents = new ArrayList<>();
            for (String file : SHIPPED_FILES) {
                try (InputStream in = CrdSchemas.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + file)) {
                    if (in == null) {
                        throw new IllegalStateException("galley's jar lacks the CRDs: " + RESOURCE_DIR + file);
                    }
                    documents.addAll(ManifestReader.standard().read(in));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (ManifestException e) {
                    throw new IllegalStateException(file + ":" + e.getMessage(), e);
                }
            }
            return of(documents);
        }
    }
}
