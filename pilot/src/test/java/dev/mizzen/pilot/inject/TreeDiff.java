package dev.mizzen.pilot.inject;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Where two trees differ, as JSON pointers with both values: readable failure messages for golden tests. */
final class TreeDiff {
    private TreeDiff() {
    }

    static List<String> of(JsonNode expected, JsonNode actual) {
        List<String> out = new ArrayList<>();
        diff("", expected, actual, out);
        return out;
    }

    private static void diff(String path, JsonNode e, JsonNode a, List<String> out) {
        if (e == null || a == null) {
            if (e != a) {
                out.add(path + ": expected " + e + " but was " + a);
            }
            return;
        }
        if (e.isObject() && a.isObject()) {
            Set<String> keys = new TreeSet<>(e.propertyNames());
            keys.addAll(a.propertyNames());
            for (String k : keys) {
                diff(path + "/" + k.replace("~", "~0").replace("/", "~1"), e.get(k), a.get(k), out);
            }
        } else if (e.isArray() && a.isArray() && e.size() == a.size()) {
            for (int i = 0; i < e.size(); i++) {
                diff(path + "/" + i, e.get(i), a.get(i), out);
            }
        } else if (!e.equals(a)) {
            out.add(path + ": expected " + e + " but was " + a);
        }
    }
}
