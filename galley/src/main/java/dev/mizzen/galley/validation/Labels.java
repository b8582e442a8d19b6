package dev.mizzen.galley.validation;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes label syntax as Istio checks it on subsets, endpoints and match conditions, and the rules for
 * workload selectors (no empty key, no {@code *}; an empty selector selects everything and earns a warning).
 */
final class Labels {
    private static final String DNS_LABEL = "[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?";
    private static final String QUALIFIED_NAME = "(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final Pattern KEY = Pattern.compile(
            "^(" + DNS_LABEL + "(?:\\." + DNS_LABEL + ")*/)?(" + QUALIFIED_NAME + ")$");
    private static final Pattern VALUE = Pattern.compile("^(" + QUALIFIED_NAME + ")?$");
    private static final int MAX_PREFIX = 253;
    private static final int MAX_NAME = 63;

    private Labels() {
    }

    /** Label keys (optional DNS prefix, name of at most 63) and values. */
    static void check(Findings out, FieldPath at, Map<String, String> labels) {
        labels.forEach((key, value) -> {
            FieldPath p = at.key(key);
            out.errorIf(p, keyError(key));
            if (!VALUE.matcher(value).matches()) {
                out.error(p, "invalid label value: \"" + value + "\"");
            }
        });
    }

    private static String keyError(String key) {
        Matcher m = KEY.matcher(key);
        if (!m.matches()) {
            return "invalid label key: \"" + key + "\"";
        }
        if (m.group(1) != null && m.group(1).length() - 1 > MAX_PREFIX) {
            return "invalid label key: \"" + key + "\" (DNS prefix is too long)";
        }
        if (m.group(2).length() > MAX_NAME) {
            return "invalid label key: \"" + key + "\" (name is too long)";
        }
        return null;
    }

    /**
     * A workload selector's labels ({@code matchLabels} of the security kinds and DestinationRule,
     * {@code labels} of ServiceEntry and Sidecar).
     *
     * @param emptyWarning the warning for a selector without labels
     */
    static void checkSelector(Findings out, FieldPath at, Map<String, String> labels, String emptyWarning) {
        labels.forEach((key, value) -> {
            FieldPath p = at.key(key);
            if (key.isEmpty()) {
                out.error(p, "empty key is not supported in selector: \"=" + value + "\"");
            }
            if (key.contains("*") || value.contains("*")) {
                out.error(p, "wildcard is not supported in selector: \"" + key + "=" + value + "\"");
            }
            if (value.length() > MAX_NAME) {
                out.error(p, "label value must be at most 63 characters");
            }
        });
        if (labels.isEmpty()) {
            out.warning(at, emptyWarning);
        }
    }
}
