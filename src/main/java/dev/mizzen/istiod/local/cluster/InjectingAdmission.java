package dev.mizzen.istiod.local.cluster;

import dev.mizzen.api.admission.AdmissionController;
import dev.mizzen.api.admission.AdmissionRequest;
import dev.mizzen.api.admission.AdmissionResponse;
import dev.mizzen.api.config.SpecReader;
import dev.mizzen.api.kube.KubeInformers;
import dev.mizzen.istiod.inject.InjectorSource;
import dev.mizzen.pilot.inject.InjectionAdmission;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.zjsonpatch.JsonPatch;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Pods pass the sidecar injector on their way into the local apiserver, as a cluster's apiserver calls istiod's
 * {@code /inject} webhook: the same {@link InjectionAdmission} over the same {@link InjectorSource} (ConfigMaps
 * {@code istio-sidecar-injector} and {@code istio} of istiod's namespace, over the shipped defaults). The
 * namespace's labels are read from the apiserver at the moment of the create, as the apiserver matches the
 * webhook's namespace selector. Pods the policy does not select come back unchanged.
 *
 * <p>Thread-safe: InjectionAdmission holds no state; the injector source swaps atomically.
 */
public final class InjectingAdmission implements PodAdmission {
    private final AdmissionController injection;
    private final KubernetesClient client;

    private InjectingAdmission(AdmissionController injection, KubernetesClient client) {
        this.injection = injection;
        this.client = client;
    }

    /** Asks {@code informers} for istiod's ConfigMaps; they must be started by the caller. */
    public static InjectingAdmission start(KubeInformers informers, KubernetesClient client, String istiodNamespace) {
        InjectorSource injector = InjectorSource.start(informers, istiodNamespace);
        return new InjectingAdmission(new InjectionAdmission(injector, namespace -> labels(client, namespace)), client);
    }

    private static Map<String, String> labels(KubernetesClient client, String namespace) {
        Namespace ns = client.namespaces().withName(namespace).get();
        return ns == null || ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Pod admit(Pod pod) throws Denied {
        var serialization = client.getKubernetesSerialization();
        Map<String, Object> object = serialization.convertValue(pod, Map.class);
        String name = pod.getMetadata().getName() != null ? pod.getMetadata().getName() : "";
        AdmissionRequest request = new AdmissionRequest(UUID.randomUUID().toString(), "", "v1", "Pod",
                pod.getMetadata().getNamespace(), name, "CREATE", object, null, false,
                "system:serviceaccount:kube-system:replicaset-controller",
                List.of("system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"));
        AdmissionResponse response = injection.admit(request);
        if (!response.allowed()) {
            throw new Denied("admission webhook \"sidecar-injector.istio.io\" denied the request: " + response.message());
        }
        if (response.jsonPatch() == null) {
            return pod;
        }
        JsonNode patched = JsonPatch.apply(SpecReader.mapper().readTree(response.jsonPatch()),
                SpecReader.mapper().valueToTree(object));
        return serialization.convertValue(SpecReader.mapper().treeToValue(patched, Map.class), Pod.class);
    }
}
