package dev.mizzen.pilot.inject;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes label selector (matchLabels and matchExpressions), as the injector's neverInjectSelector and
 * alwaysInjectSelector use it. An empty selector matches nothing here, as in Istio's injector.
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {
    /** One matchExpressions entry: operator In, NotIn, Exists or DoesNotExist. */
    public record Requirement(String key, String operator, List<String> values) {
        public Requirement {
            values = values == null ? List.of() : List.copyOf(values);
        }

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
        }
    }

    public LabelSelector {
        matchLabels = matchLabels == null ? Map.of() : Map.copyOf(matchLabels);
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
    }

    boolean isEmpty() {
        return matchLabels.isEmpty() && matchExpressions.isEmpty();
    }

    boolean matches(Map<String, String> labels) {
        if (isEmpty()) {
            return false;
        }
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return matchExpressions.stream().allMatch(r -> r.matches(labels));
    }

    /** Reads a selector; throws IllegalArgumentException on an unknown operator. */
    static LabelSelector from(JsonNode node) {
        List<Requirement> requirements = new ArrayList<>();
        for (JsonNode r : Trees.objects(Trees.arr(node, "matchExpressions"))) {
            String op = Trees.text(r, "operator");
            if (!List.of("In", "NotIn", "Exists", "DoesNotExist").contains(op)) {
                throw new IllegalArgumentException("label selector operator '" + op + "' is not one of "
                        + "In, NotIn, Exists, DoesNotExist");
            }
            List<String> values = new ArrayList<>();
            var array = Trees.arr(r, "values");
            if (array != null) {
                array.forEach(v -> values.add(v.asString()));
            }
            requirements.add(new Requirement(Trees.text(r, "key"), op, values));
        }
        return new LabelSelector(Trees.stringMap(Trees.obj(node, "matchLabels")), requirements);
    }
}
