package dev.mizzen.it;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Mizzen's shipped manifests ({@code install/kubernetes}: Istio's CRDs, then istiod's namespace, ServiceAccount,
 * ClusterRole and bindings, Deployment, Service and webhook configurations), applied as {@code kubectl apply
 * --server-side} would apply them, and the Istio samples the tests use.
 */
public final class MizzenInstall {
    public static final String NAMESPACE = "istio-system";
    public static final String SERVICE_ACCOUNT = "istiod";
    private static final String FIELD_MANAGER = "mizzen-it";

    private MizzenInstall() {}

    /** {@code install/kubernetes} of this checkout: the system property Surefire sets, else beside the module. */
    public static Path installDir() {
        return Paths.get(System.getProperty("mizzen.install.dir", "../install/kubernetes")).toAbsolutePath();
    }

    /** Every CRD of {@code crds/}, created and established, then {@code istiod.yaml}; returns what was applied. */
    public static List<HasMetadata> apply(KubernetesClient client, Duration timeout) {
        List<HasMetadata> applied = new ArrayList<>();
        List<HasMetadata> crds = new ArrayList<>();
        try (var files = Files.list(installDir().resolve("crds"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                crds.addAll(applyFile(client, file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        applied.addAll(crds);
        // as kubectl does between CRDs and objects of their kinds: wait until the apiserver serves them
        await("the CRDs to be established").atMost(timeout).until(() -> crds.stream().allMatch(crd -> established(client,
                crd.getMetadata().getName())));
        applied.addAll(applyFile(client, installDir().resolve("istiod.yaml")));
        return applied;
    }

    /** Applies every document of a YAML file (server-side apply, conflicts forced). */
    public static List<HasMetadata> applyFile(KubernetesClient client, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return applyYaml(client, in);
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    /** Applies every document of a test resource ({@code /istio/bookinfo/...}). */
    public static List<HasMetadata> applyResource(KubernetesClient client, String resource, String namespace) {
        try (InputStream in = MizzenInstall.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            List<HasMetadata> out = new ArrayList<>();
            for (HasMetadata item : client.load(in).items()) {
                out.add(client.resource(item).inNamespace(namespace).fieldManager(FIELD_MANAGER).forceConflicts()
                        .serverSideApply());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }

    /** Applies every document of YAML text (server-side apply, conflicts forced). */
    public static List<HasMetadata> applyYaml(KubernetesClient client, String yaml) {
        return applyYaml(client, new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The text of a test resource. */
    public static String resource(String resource) {
        try (InputStream in = MizzenInstall.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }

    private static List<HasMetadata> applyYaml(KubernetesClient client, InputStream in) {
        List<HasMetadata> out = new ArrayList<>();
        for (HasMetadata item : client.load(in).items()) {
            out.add(client.resource(item).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply());
        }
        return out;
    }

    private static boolean established(KubernetesClient client, String name) {
        CustomResourceDefinition crd =
                client.apiextensions().v1().customResourceDefinitions().withName(name).get();
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
    }
}
