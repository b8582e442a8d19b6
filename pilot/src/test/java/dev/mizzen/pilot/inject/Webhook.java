package dev.mizzen.pilot.inject;

/**
 * Istio's webhook-only test cases (skipInjection): Istio's test hands each pod straight to its webhook's inject,
 * past the webhook configuration's selectors. Ours runs the same injector; without the namespace selection, which
 * Istio's test also skips, the webhook and kube-inject inject a pod alike, so kube-inject stands in for it.
 */
final class Webhook {
    private Webhook() {
    }

    static String inject(String yaml, InjectionSettings settings) {
        return KubeInject.inject(yaml, settings);
    }
}
