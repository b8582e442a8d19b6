package dev.mizzen.galley.validation;

import dev.mizzen.api.networking.LocalityDistribute;
import dev.mizzen.api.networking.LocalityFailover;
import dev.mizzen.api.networking.LocalityLbSetting;
import dev.mizzen.api.networking.OutlierDetection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Locality load balancing: weighted {@code distribute} (weights 1..100 summing to 100, localities
 * {@code region/zone/subzone} with at most a trailing {@code *}, none overlapping) or {@code failover}
 * between distinct regions, never both; failover needs outlier detection to notice failures.
 */
final class LocalityLbValidator {
    private static final Set<String> TOPOLOGY_LABELS = Set.of(
            "topology.kubernetes.io/region", "topology.kubernetes.io/zone", "topology.istio.io/subzone");

    private LocalityLbValidator() {
    }

    static void check(Findings out, FieldPath at, LocalityLbSetting lb, OutlierDetection outlier) {
        if (lb == null) {
            return;
        }
        if (!lb.distribute().isEmpty() && !lb.failover().isEmpty()) {
            out.error(at, "can not simultaneously specify 'distribute' and 'failover'");
            return;
        }
        if (!lb.failover().isEmpty()) {
            for (String label : lb.failoverPriority()) {
                if (TOPOLOGY_LABELS.contains(label)) {
                    out.error(at.field("failoverPriority"),
                            "can not simultaneously set 'failover' and topology label '" + label + "' in 'failover_priority'");
                }
            }
        }
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < lb.distribute().size(); i++) {
            FieldPath p = at.field("distribute").index(i);
            LocalityDistribute d = lb.distribute().get(i);
            sources.add(d.from() == null ? "" : d.from());
            long total = 0;
            boolean inRange = true;
            for (Integer weight : d.to().values()) {
                if (weight <= 0 || weight > 100) {
                    inRange = false;
                }
                total += weight;
            }
            if (!inRange) {
                out.error(p.field("to"), "locality weight must be in range [1, 100]");
            } else if (total != 100) {
                out.error(p.field("to"), "total locality weight " + total + " != 100");
            }
            out.errorIf(p.field("to"), localitiesError(new ArrayList<>(d.to().keySet())));
        }
        out.errorIf(at.field("distribute"), localitiesError(sources));
        if ((!lb.failover().isEmpty() || !lb.failoverPriority().isEmpty()) && outlier == null) {
            out.warning(at, "outlier detection policy must be provided for failover");
        }
        for (int i = 0; i < lb.failover().size(); i++) {
            failover(out, at.field("failover").index(i), lb.failover().get(i));
        }
    }

    private static void failover(Findings out, FieldPath at, LocalityFailover failover) {
        String from = failover.from() == null ? "" : failover.from();
        String to = failover.to() == null ? "" : failover.to();
        if (from.equals(to)) {
            out.error(at, "locality lb failover settings must specify different regions");
        }
        if (from.contains("/") || to.contains("/")) {
            out.error(at, "locality lb failover only specify region");
        }
        if (from.contains("*") || to.contains("*")) {
            out.error(at, "locality lb failover region should not contain '*' wildcard");
        }
    }

    /** Localities must be well-formed and must not overlap, e.g. {@code us-east} and {@code us-east/zone1}. */
    private static String localitiesError(List<String> localities) {
        Map<String, Map<String, Set<String>>> regions = new HashMap<>();
        for (String locality : localities) {
            long stars = locality.chars().filter(c -> c == '*').count();
            if (stars > 1 || (stars == 1 && !locality.endsWith("*"))) {
                return "locality " + locality + " wildcard '*' number can not exceed 1 and must be in the end";
            }
            String overlap = "locality " + locality + " overlap with previous specified ones";
            if (regions.containsKey("*")) {
                return overlap;
            }
            String[] items = locality.split("/", 3);
            for (String item : items) {
                if (item.isEmpty()) {
                    return "locality " + locality + " must not contain empty region/zone/subzone info";
                }
            }
            Map<String, Set<String>> zones = regions.get(items[0]);
            if (items.length == 1) {
                if (zones != null) {
                    return overlap;
                }
                regions.put(items[0], new HashMap<>(Map.of("*", new HashSet<>(Set.of("*")))));
                continue;
            }
            if (zones == null) {
                zones = new HashMap<>();
                regions.put(items[0], zones);
            } else if (zones.containsKey("*")) {
                return overlap;
            }
            Set<String> subzones = zones.get(items[1]);
            if (items.length == 2) {
                if (subzones != null) {
                    return overlap;
                }
                zones.put(items[1], new HashSet<>(Set.of("*")));
            } else if (subzones == null) {
                zones.put(items[1], new HashSet<>(Set.of(items[2])));
            } else if (subzones.contains("*") || !subzones.add(items[2])) {
                return overlap;
            }
        }
        return null;
    }
}
