package dev.mizzen.istiod.local.apiserver;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.utils.KubernetesVersionPriority;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The apiserver's discovery documents, which kubectl and clients read before anything else: {@code /api},
 * {@code /api/v1}, {@code /apis}, {@code /apis/<group>}, {@code /apis/<group>/<version>} and {@code /version}.
 * fabric8's mock answers none of them (it lists stored objects for {@code /api}), so the local apiserver answers
 * them from a table of the built-in kinds it stores and from the CustomResourceDefinitions created in it; a
 * group's preferred version is its highest served one, as the apiserver orders versions.
 *
 * <p>Thread-safe: the CRDs are a concurrent map, replaced whole per CRD.
 */
public final class Discovery {
    private static final Pattern GROUP = Pattern.compile("/apis/([a-z0-9.-]+)/?");
    private static final Pattern GROUP_VERSION = Pattern.compile("/apis/([a-z0-9.-]+)/([a-z0-9]+)/?");
    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch",
            "update", "watch");

    /** A kind served at a group and version. */
    record Resource(String plural, String kind, boolean namespaced, List<String> shortNames, List<String> verbs) {
        static Resource of(String plural, String kind, boolean namespaced, String... shortNames) {
            return new Resource(plural, kind, namespaced, List.of(shortNames), VERBS);
        }

        static Resource subresource(String path, String kind, boolean namespaced, String... verbs) {
            return new Resource(path, kind, namespaced, List.of(), List.of(verbs));
        }
    }

    /** What the local apiserver stores of Kubernetes' own kinds, by group/version ("v1" for the core group). */
    private static final Map<String, List<Resource>> BUILT_IN = builtIn();
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final Map<String, CustomResourceDefinition> crds = new ConcurrentHashMap<>();
    private final VersionInfo version;

    public Discovery(VersionInfo version) {
        this.version = version;
    }

    private static Map<String, List<Resource>> builtIn() {
        Map<String, List<Resource>> m = new LinkedHashMap<>();
        m.put("v1", List.of(
                Resource.of("configmaps", "ConfigMap", true, "cm"),
                Resource.of("endpoints", "Endpoints", true, "ep"),
                Resource.of("events", "Event", true, "ev"),
                Resource.of("namespaces", "Namespace", false, "ns"),
                Resource.of("nodes", "Node", false, "no"),
                Resource.of("persistentvolumeclaims", "PersistentVolumeClaim", true, "pvc"),
                Resource.of("pods", "Pod", true, "po"),
                Resource.subresource("pods/status", "Pod", true, "get", "patch", "update"),
                Resource.of("secrets", "Secret", true),
                Resource.of("serviceaccounts", "ServiceAccount", true, "sa"),
                Resource.subresource("serviceaccounts/token", "TokenRequest", true, "create"),
                Resource.of("services", "Service", true, "svc"),
                Resource.subresource("services/status", "Service", true, "get", "patch", "update")));
        m.put("apps/v1", List.of(
                Resource.of("controllerrevisions", "ControllerRevision", true),
                Resource.of("daemonsets", "DaemonSet", true, "ds"),
                Resource.of("deployments", "Deployment", true, "deploy"),
                Resource.subresource("deployments/scale", "Scale", true, "get", "patch", "update"),
                Resource.of("replicasets", "ReplicaSet", true, "rs"),
                Resource.of("statefulsets", "StatefulSet", true, "sts")));
        m.put("batch/v1", List.of(
                Resource.of("cronjobs", "CronJob", true, "cj"),
                Resource.of("jobs", "Job", true)));
        m.put("discovery.k8s.io/v1", List.of(Resource.of("endpointslices", "EndpointSlice", true)));
        m.put("networking.k8s.io/v1", List.of(
                Resource.of("ingresses", "Ingress", true, "ing"),
                Resource.of("networkpolicies", "NetworkPolicy", true, "netpol")));
        m.put("apiextensions.k8s.io/v1", List.of(Resource.of("customresourcedefinitions", "CustomResourceDefinition", false,
                "crd", "crds")));
        m.put("admissionregistration.k8s.io/v1", List.of(
                Resource.of("mutatingwebhookconfigurations", "MutatingWebhookConfiguration", false),
                Resource.of("validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false)));
        m.put("authentication.k8s.io/v1", List.of(new Resource("tokenreviews", "TokenReview", false, List.of(),
                List.of("create"))));
        m.put("coordination.k8s.io/v1", List.of(Resource.of("leases", "Lease", true)));
        return m;
    }

    /** A CRD was created or changed ({@code crd}) or deleted ({@code null}). */
    public void crdChanged(String name, CustomResourceDefinition crd) {
        if (crd == null) {
            crds.remove(name);
        } else {
            crds.put(name, crd);
        }
    }

    /** The served versions of a CRD, highest priority first. */
    static List<String> servedVersions(CustomResourceDefinition crd) {
        List<String> versions = crd.getSpec().getVersions().stream()
                .filter(v -> !Boolean.FALSE.equals(v.getServed()))
                .map(CustomResourceDefinitionVersion::getName)
                .toList();
        return KubernetesVersionPriority.sortByPriority(versions, v -> v);
    }

    /** The discovery document at {@code path} (query stripped), or empty when the path is not a discovery path. */
    public Optional<String> answer(String path) {
        int query = path.indexOf('?');
        String p = query < 0 ? path : path.substring(0, query);
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals("/version")) {
            return Optional.of(JSON.asJson(Map.of("major", version.getMajor(), "minor", version.getMinor(),
                    "gitVersion", "v" + version.getMajor() + "." + version.getMinor() + ".0-mizzen-local",
                    "platform", "local")));
        }
        if (p.equals("/api")) {
            return Optional.of(JSON.asJson(new APIVersionsBuilder().withVersions("v1").build()));
        }
        if (p.equals("/api/v1")) {
            return Optional.of(resourceList("v1", BUILT_IN.get("v1")));
        }
        if (p.equals("/apis")) {
            return Optional.of(JSON.asJson(new APIGroupListBuilder().withGroups(groups().values().stream()
                    .toList()).build()));
        }
        Matcher gv = GROUP_VERSION.matcher(p);
        if (gv.matches()) {
            String groupVersion = gv.group(1) + "/" + gv.group(2);
            List<Resource> resources = resources(gv.group(1), gv.group(2));
            return resources.isEmpty() && !groups().containsKey(gv.group(1)) ? Optional.empty()
                    : Optional.of(resourceList(groupVersion, resources));
        }
        Matcher g = GROUP.matcher(p);
        if (g.matches() && groups().containsKey(g.group(1))) {
            return Optional.of(JSON.asJson(groups().get(g.group(1))));
        }
        return Optional.empty();
    }

    /** Every group with its versions, built-in first, then CRD groups by name. */
    private Map<String, APIGroup> groups() {
        Map<String, List<String>> versions = new LinkedHashMap<>();
        for (String gv : BUILT_IN.keySet()) {
            if (gv.contains("/")) {
                versions.computeIfAbsent(gv.substring(0, gv.indexOf('/')), k -> new ArrayList<>())
                        .add(gv.substring(gv.indexOf('/') + 1));
            }
        }
        Map<String, List<String>> custom = new TreeMap<>();
        for (CustomResourceDefinition crd : crds.values()) {
            List<String> served = custom.computeIfAbsent(crd.getSpec().getGroup(), k -> new ArrayList<>());
            servedVersions(crd).stream().filter(v -> !served.contains(v)).forEach(served::add);
        }
        custom.forEach((group, list) -> versions.merge(group, list, (a, b) -> {
            List<String> all = new ArrayList<>(a);
            b.stream().filter(v -> !all.contains(v)).forEach(all::add);
            return all;
        }));
        Map<String, APIGroup> out = new LinkedHashMap<>();
        versions.forEach((group, list) -> {
            List<String> sorted = KubernetesVersionPriority.sortByPriority(list, v -> v);
            List<GroupVersionForDiscovery> forDiscovery = sorted.stream()
                    .map(v -> new GroupVersionForDiscovery(group + "/" + v, v)).toList();
            out.put(group, new APIGroupBuilder().withName(group).withVersions(forDiscovery)
                    .withPreferredVersion(forDiscovery.get(0)).build());
        });
        return out;
    }

    private List<Resource> resources(String group, String version) {
        List<Resource> out = new ArrayList<>(BUILT_IN.getOrDefault(group + "/" + version, List.of()));
        for (CustomResourceDefinition crd : crds.values()) {
            if (!crd.getSpec().getGroup().equals(group) || !servedVersions(crd).contains(version)) {
                continue;
            }
            var names = crd.getSpec().getNames();
            boolean namespaced = !"Cluster".equals(crd.getSpec().getScope());
            out.add(new Resource(names.getPlural(), names.getKind(), namespaced,
                    names.getShortNames() == null ? List.of() : names.getShortNames(), VERBS));
            boolean status = crd.getSpec().getVersions().stream().anyMatch(v -> v.getName().equals(version)
                    && v.getSubresources() != null && v.getSubresources().getStatus() != null);
            if (status) {
                out.add(Resource.subresource(names.getPlural() + "/status", names.getKind(), namespaced, "get", "patch",
                        "update"));
            }
        }
        out.sort((a, b) -> a.plural().compareTo(b.plural()));
        return out;
    }

    private static String resourceList(String groupVersion, List<Resource> resources) {
        List<APIResource> list = resources.stream().map(r -> new APIResourceBuilder()
                .withName(r.plural())
                .withSingularName(r.plural().contains("/") ? "" : r.kind().toLowerCase(java.util.Locale.ROOT))
                .withKind(r.kind())
                .withNamespaced(r.namespaced())
                .withVerbs(r.verbs())
                .withShortNames(r.shortNames().isEmpty() ? null : r.shortNames())
                .build()).toList();
        return JSON.asJson(new APIResourceListBuilder().withGroupVersion(groupVersion).withResources(list).build());
    }
}
