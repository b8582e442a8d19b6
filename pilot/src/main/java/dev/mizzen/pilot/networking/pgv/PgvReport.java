package dev.mizzen.pilot.networking.pgv;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.SortedSet;
import java.util.stream.Collectors;

/**
 * What {@link PgvValidator} found in one or more resources.
 *
 * @param violations      broken rules, in walk order
 * @param uncheckedRules  rule kinds present on a visited field that the validator does not evaluate
 *                        ({@code string.email} -> first path seen); these neither pass nor fail
 * @param unresolvedTypes type URLs of {@code Any} values that could not be unpacked, so were not walked
 */
public record PgvReport(List<Violation> violations, Map<String, String> uncheckedRules,
                        SortedSet<String> unresolvedTypes) {

    public PgvReport {
        violations = List.copyOf(violations);
        uncheckedRules = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(uncheckedRules));
        unresolvedTypes = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(unresolvedTypes));
    }

    public static PgvReport empty() {
        return new PgvReport(List.of(), Map.of(), new TreeSet<>());
    }

    public boolean valid() {
        return violations.isEmpty();
    }

    /** Both reports together (first path wins for unchecked rules). */
    public PgvReport merge(PgvReport other) {
        List<Violation> all = new ArrayList<>(violations);
        all.addAll(other.violations);
        Map<String, String> unchecked = new LinkedHashMap<>(uncheckedRules);
        other.uncheckedRules.forEach(unchecked::putIfAbsent);
        SortedSet<String> types = new TreeSet<>(unresolvedTypes);
        types.addAll(other.unresolvedTypes);
        return new PgvReport(all, unchecked, types);
    }

    /** Fails with every violation listed, one a line. */
    public void assertValid() {
        if (!valid()) {
            throw new AssertionError(violations.size() + " protoc-gen-validate violation(s):\n" + this);
        }
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        violations.forEach(v -> out.append("  ").append(v).append('\n'));
        uncheckedRules.forEach((kind, path) ->
                out.append("  unchecked rule ").append(kind).append(" (first at ").append(path).append(")\n"));
        if (!unresolvedTypes.isEmpty()) {
            out.append("  unresolved Any types: ").append(unresolvedTypes.stream().collect(Collectors.joining(", ")))
                    .append('\n');
        }
        return out.length() == 0 ? "  (no violations)\n" : out.toString();
    }
}
