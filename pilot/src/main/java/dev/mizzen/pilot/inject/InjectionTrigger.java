package dev.mizzen.pilot.inject;

/**
 * Who asks for the injection, which decides whether namespace labels count. WEBHOOK: the pod is being created
 * and the namespace's istio-injection / istio.io/rev labels select it, as the selectors of Istio's
 * MutatingWebhookConfiguration do. KUBE_INJECT: the user asked for this file to be injected, so namespace
 * labels are not consulted (istioctl kube-inject); the pod's own opt-out still wins.
 */
public enum InjectionTrigger {
    WEBHOOK, KUBE_INJECT
}
