package dev.mizzen.pilot.inject;

import tools.jackson.databind.node.ObjectNode;

import java.util.Locale;
import java.util.Map;

/**
 * Whether a pod gets a sidecar, in Istio's order: host-network pods and system namespaces never; the pod's own
 * sidecar.istio.io/inject (label, else annotation) false always wins; a pod injected before is injected again,
 * as Istio does (see {@link Reinjection}: the earlier sidecar is updated, and injecting the same pod twice
 * gives the same pod); then, for the webhook, the namespace selection of Istio's
 * MutatingWebhookConfiguration; then the injector policy with its never/always selectors.
 */
final class InjectionPolicy {
    /** The outcome; {@code reason} says why a pod is skipped. */
    record Decision(boolean inject, String reason) {
        static Decision yes() {
            return new Decision(true, "");
        }

        static Decision no(String reason) {
            return new Decision(false, reason);
        }
    }

    private enum OptIn { YES, NO, UNSET }

    private InjectionPolicy() {
    }

    static Decision decide(PodRequest request, InjectionSettings settings) {
        ObjectNode pod = request.pod();
        ObjectNode meta = Trees.obj(pod, "metadata");
        Map<String, String> labels = Trees.stringMap(Trees.obj(meta, "labels"));
        Map<String, String> annotations = Trees.stringMap(Trees.obj(meta, "annotations"));
        InjectionConfig config = settings.config();

        if (pod.path("spec").path("hostNetwork").asBoolean(false)) {
            return Decision.no("the pod uses the host network");
        }
        if (config.ignoredNamespaces().contains(request.namespace())) {
            return Decision.no("namespace " + request.namespace() + " is never injected");
        }
        OptIn optIn = optIn(labels, annotations);
        if (optIn == OptIn.NO) {
            return Decision.no("the pod opts out (" + Annotations.INJECT + ")");
        }
        if (request.trigger() == InjectionTrigger.WEBHOOK) {
            String notSelected = namespaceSelection(request.namespaceLabels(), labels, optIn, settings);
            if (notSelected != null) {
                return Decision.no(notSelected);
            }
        }
        if (optIn == OptIn.YES) {
            return Decision.yes();
        }
        if (config.neverInjectSelector().stream().anyMatch(s -> s.matches(labels))) {
            return Decision.no("the pod's labels match neverInjectSelector");
        }
        if (config.alwaysInjectSelector().stream().anyMatch(s -> s.matches(labels))) {
            return Decision.yes();
        }
        return config.policy() == InjectionConfig.Policy.ENABLED
                ? Decision.yes() : Decision.no("injection policy is disabled and the pod does not opt in");
    }

    /** The pod's sidecar.istio.io/inject: the label wins over the deprecated annotation; y/yes/true/on mean yes. */
    private static OptIn optIn(Map<String, String> labels, Map<String, String> annotations) {
        String value = labels.containsKey(Annotations.INJECT)
                ? labels.get(Annotations.INJECT) : annotations.getOrDefault(Annotations.INJECT, "");
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "y", "yes", "true", "on" -> OptIn.YES;
            case "" -> OptIn.UNSET;
            default -> OptIn.NO;
        };
    }

    /**
     * The selectors of Istio's injection webhooks for this revision: istio-injection=enabled on the namespace
     * (default revision), else istio.io/rev on the namespace, else istio.io/rev or inject=true on the pod.
     * Returns null when selected, else why not.
     */
    private static String namespaceSelection(Map<String, String> nsLabels, Map<String, String> podLabels,
                                             OptIn optIn, InjectionSettings settings) {
        boolean defaultRevision = settings.revision().isEmpty() || settings.revision().equals("default");
        String nsInjection = nsLabels.get(Annotations.LABEL_NAMESPACE_INJECTION);
        if (nsInjection != null) {
            if (!nsInjection.equals("enabled")) {
                return "namespace label istio-injection=" + nsInjection;
            }
            return defaultRevision ? null : "namespace is labelled for the default revision, not " + settings.revision();
        }
        String nsRevision = nsLabels.get(Annotations.LABEL_REVISION);
        if (nsRevision != null) {
            return servesRevision(nsRevision, settings) ? null
                    : "namespace is labelled for revision " + nsRevision;
        }
        String podRevision = podLabels.get(Annotations.LABEL_REVISION);
        if (podRevision != null) {
            return servesRevision(podRevision, settings) ? null : "the pod asks for revision " + podRevision;
        }
        if (optIn == OptIn.YES) {
            return defaultRevision ? null : "the pod opts in to the default revision, not " + settings.revision();
        }
        if (settings.values().path("sidecarInjectorWebhook").path("enableNamespacesByDefault").asBoolean(false)) {
            return defaultRevision ? null : "namespaces are injected by default by the default revision";
        }
        return "neither the namespace (istio-injection=enabled or istio.io/rev) nor the pod "
                + "(sidecar.istio.io/inject=true or istio.io/rev) asks for injection";
    }

    private static boolean servesRevision(String revision, InjectionSettings settings) {
        String ours = settings.revision().isEmpty() ? "default" : settings.revision();
        return revision.equals(ours);
    }
}
