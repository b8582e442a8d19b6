package dev.mizzen.pilot.inject;

/** Istio's webhook-only test cases (skipInjection): run as the webhook would see the pods. */
final class Webhook {
    private Webhook() {
    }

    static String inject(String yaml, InjectionSettings settings) {
        return KubeInject.inject(yaml, settings);
    }
}
