package dev.mizzen.galley.validation;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code exportTo}: {@code .} (this namespace), {@code *} (everyone) or namespace names, no duplicates,
 * {@code *} alone; ServiceEntries may also say {@code ~} (no one), alone. A DestinationRule with a workload
 * selector may only be exported to its own namespace.
 */
final class ExportTo {
    enum Kind { PLAIN, SERVICE_ENTRY, DESTINATION_RULE_WITH_SELECTOR }

    private ExportTo() {
    }

    static void check(Findings out, FieldPath at, String namespace, List<String> exportTo, Kind kind) {
        if (exportTo.isEmpty()) {
            return;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < exportTo.size(); i++) {
            String entry = exportTo.get(i);
            String key = entry.equals(".") ? namespace : entry;
            FieldPath p = at.index(i);
            if (seen.contains(key)) {
                out.error(p, key.equals(entry) ? "duplicate entries in exportTo for entry " + entry
                        : "duplicate entries in exportTo: . and current namespace " + namespace);
            } else if (entry.equals("~")) {
                if (kind == Kind.SERVICE_ENTRY) {
                    seen.add(key);
                } else {
                    out.error(p, "exportTo ~ (none) is not allowed for Istio configuration objects");
                }
            } else if (!entry.equals(".") && !entry.equals("*") && !Hosts.isDns1123Label(entry)) {
                out.error(p, "only .,*,~, or a valid DNS 1123 label is allowed as exportTo entry");
            } else {
                seen.add(key);
            }
        }
        if (kind == Kind.DESTINATION_RULE_WITH_SELECTOR && !seen.isEmpty()) {
            if (!seen.contains(namespace)) {
                out.error(at, "destination rule with workload selector cannot have exportTo beyond current namespace");
            } else if (seen.size() > 1) {
                out.error(at, "destination rule with workload selector cannot have multiple entries in exportTo");
            }
        }
        if (seen.contains("*") && exportTo.size() > 1) {
            out.error(at, "cannot have both public (*) and non-public exportTo values for a resource");
        }
        if (seen.contains("~") && exportTo.size() > 1) {
            out.error(at, "cannot export service entry to no one (~) and someone");
        }
    }
}
