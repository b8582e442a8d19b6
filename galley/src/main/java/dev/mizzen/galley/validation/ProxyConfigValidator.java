package dev.mizzen.galley.validation;

import dev.mizzen.api.networking.ProxyConfig;

/** ProxyConfig (Istio's ValidateProxyConfig): a selector of labels, and a concurrency that is not negative. */
final class ProxyConfigValidator implements KindValidator<ProxyConfig> {
    @Override
    public void validate(ProxyConfig config, String namespace, Findings out) {
        if (config.selector() != null) {
            Labels.checkSelector(out, FieldPath.SPEC.field("selector").field("matchLabels"),
                    config.selector().matchLabels(), "workload selector specified without labels");
        }
        if (config.concurrency() != null && config.concurrency() < 0) {
            out.error(FieldPath.SPEC.field("concurrency"), "concurrency must be greater than or equal to 0");
        }
    }
}
