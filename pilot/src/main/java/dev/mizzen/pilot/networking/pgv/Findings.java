package dev.mizzen.pilot.networking.pgv;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Collects the results of one validation walk. Not thread-safe: one instance per walk. */
final class Findings {
    private final List<Violation> violations = new ArrayList<>();
    private final Map<String, String> unchecked = new LinkedHashMap<>();
    private final TreeSet<String> unresolvedTypes = new TreeSet<>();

    void violation(String path, String message) {
        violations.add(new Violation(path, message));
    }

    /** A rule present on a field that is not evaluated: remembered once per kind, never silently passed. */
    void unchecked(String kind, String path) {
        unchecked.putIfAbsent(kind, path);
    }

    void unresolvedType(String typeUrl) {
        unresolvedTypes.add(typeUrl);
    }

    PgvReport report() {
        return new PgvReport(violations, unchecked, unresolvedTypes);
    }
}
