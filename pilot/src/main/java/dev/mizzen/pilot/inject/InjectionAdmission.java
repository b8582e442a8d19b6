package dev.mizzen.pilot.inject;

import dev.mizzen.api.admission.AdmissionController;
import dev.mizzen.api.admission.AdmissionRequest;
import dev.mizzen.api.admission.AdmissionResponse;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code /inject} mutating webhook's logic: a Pod CREATE in, a JSONPatch (RFC 6902, add/remove/replace
 * only) that turns it into the injected pod out. Pods the policy does not select are allowed unchanged. A pod
 * that cannot be injected as asked (malformed object, no containers, unknown template, invalid annotation) is
 * denied with every reason, so the webhook never lets a half-injected or broken pod through and never throws.
 * <p>
 * Thread-safe: it holds no state of its own. The injector supplier lets istiod swap settings (a new
 * istio-sidecar-injector ConfigMap) by publishing a new {@link SidecarInjector}; the namespace labels come from
 * istiod's namespace informer.
 */
public final class InjectionAdmission implements AdmissionController {
    private static final EnumSet<DiffFlags> PATCH_FLAGS =
            EnumSet.of(DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION, DiffFlags.OMIT_VALUE_ON_REMOVE);

    private final Supplier<SidecarInjector> injector;
    private final Function<String, Map<String, String>> namespaceLabels;
    private final Supplier<ProxyConfigResources> proxyConfigs;

    /**
     * @param injector        the current injector (settings may change at run time)
     * @param namespaceLabels a namespace's labels by name; an unknown namespace gives null or an empty map
     * @param proxyConfigs    the ProxyConfig resources now in the config store
     */
    public InjectionAdmission(Supplier<SidecarInjector> injector,
                              Function<String, Map<String, String>> namespaceLabels,
                              Supplier<ProxyConfigResources> proxyConfigs) {
        this.injector = Objects.requireNonNull(injector);
        this.namespaceLabels = Objects.requireNonNull(namespaceLabels);
        this.proxyConfigs = Objects.requireNonNull(proxyConfigs);
    }

    public InjectionAdmission(Supplier<SidecarInjector> injector,
                              Function<String, Map<String, String>> namespaceLabels) {
        this(injector, namespaceLabels, () -> ProxyConfigResources.NONE);
    }

    public InjectionAdmission(SidecarInjector injector, Function<String, Map<String, String>> namespaceLabels) {
        this(() -> injector, namespaceLabels);
    }

    @Override
    public AdmissionResponse admit(AdmissionRequest request) {
        try {
            return admitChecked(request);
        } catch (RuntimeException e) {
            return AdmissionResponse.deny(500, "sidecar injection failed: internal error: " + e, List.of());
        }
    }

    private AdmissionResponse admitChecked(AdmissionRequest request) {
        if (!request.group().isEmpty() || !"Pod".equals(request.kind())) {
            String kind = request.group().isEmpty() ? request.kind() : request.group() + "/" + request.kind();
            return AdmissionResponse.deny(400, "sidecar injection expects a Pod, got " + kind, List.of());
        }
        if (!"CREATE".equals(request.operation())) {
            return AdmissionResponse.allow(); // containers cannot change after creation: nothing to inject
        }
        if (request.object() == null) {
            return AdmissionResponse.deny(400, "sidecar injection: the request carries no pod", List.of());
        }
        JsonNode original = Trees.toTree(request.object());
        List<String> shape = PodChecks.input(original);
        if (!shape.isEmpty()) {
            return deny(request, String.join("; ", shape));
        }
        ObjectNode pod = (ObjectNode) original;
        String namespace = Trees.text(Trees.obj(pod, "metadata"), "namespace");
        if (namespace.isEmpty()) {
            namespace = request.namespace(); // pods of a Deployment arrive without one
        }
        Map<String, String> labels = namespaceLabels.apply(namespace);
        PodRequest podRequest = new PodRequest(pod, namespace, labels == null ? Map.of() : labels,
                WorkloadMeta.ofPod(pod, namespace), InjectionTrigger.WEBHOOK, proxyConfigs.get());
        InjectionResult result = injector.get().inject(podRequest);
        if (result instanceof InjectionResult.Injected injected) {
            JsonNode patch = JsonDiff.asJson(original, injected.pod(), PATCH_FLAGS);
            return patch.isEmpty() ? AdmissionResponse.allow() : AdmissionResponse.patch(patch.toString(), List.of());
        }
        if (result instanceof InjectionResult.Rejected rejected) {
            return deny(request, rejected.message());
        }
        return AdmissionResponse.allow();
    }

    private static AdmissionResponse deny(AdmissionRequest request, String why) {
        String name = request.name().isEmpty() ? "" : " " + request.namespace() + "/" + request.name();
        return AdmissionResponse.deny(400, "sidecar injection failed for pod" + name + ": " + why, List.of());
    }
}
