package dev.mizzen.pilot.inject;

import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The helpers injection templates call, named after the functions of Istio's Go templates so a template ports
 * line by line. Functions: {@code annotation(name, default)} (the pod's annotation, else the default),
 * {@code excludeInboundPort(port, ports)}, {@code fromJson(text)}, {@code appendMultusNetwork(networks, name)},
 * {@code directory(path)}, {@code namedEntries(json)} (the entries of a user volume annotation as objects with
 * their name first: a JSON object of name to spec, or a JSON array of specs that carry their own name).
 * Filters: {@code quote} (a JSON string literal, which is a safe YAML scalar whatever the value holds),
 * {@code json} or {@code json('ContainerPort')} (compact JSON, Go field order for the named struct),
 * {@code withName(name)} (a map with name put first), {@code trunc(n)} and {@code trimAll(chars)} (Sprig's),
 * {@code omitNil} (Istio's: nulls removed from maps and lists, recursively).
 */
final class TemplateFunctions extends AbstractExtension {
    @Override
    public Map<String, Function> getFunctions() {
        return Map.of(
                "annotation", function(List.of("name", "default"), (args, ctx) -> {
                    Map<?, ?> annotations = podAnnotations(ctx);
                    Object name = args.get("name");
                    return annotations.containsKey(name) ? str(annotations.get(name)) : str(args.get("default"));
                }),
                "excludeInboundPort", function(List.of("port", "ports"),
                        (args, ctx) -> excludeInboundPort(str(args.get("port")), str(args.get("ports")))),
                "fromJson", function(List.of("text"), (args, ctx) -> fromJson(str(args.get("text")))),
                "appendMultusNetwork", function(List.of("networks", "name"),
                        (args, ctx) -> appendMultusNetwork(str(args.get("networks")), str(args.get("name")))),
                "directory", function(List.of("path"), (args, ctx) -> directory(str(args.get("path")))),
                "namedEntries", function(List.of("text"), (args, ctx) -> namedEntries(str(args.get("text")))));
    }

    @Override
    public Map<String, Filter> getFilters() {
        return Map.of(
                "quote", filter(List.of(), (input, args) -> GoJson.quote(str(input))),
                "json", filter(List.of("type"), (input, args) -> GoJson.write(Trees.toTree(input), type(args))),
                "trunc", filter(List.of("length"), (input, args) -> {
                    String v = str(input);
                    int n = Integer.parseInt(str(args.get("length")));
                    return v.length() > n ? v.substring(0, n) : v;
                }),
                "trimAll", filter(List.of("chars"), (input, args) -> trimAll(str(input), str(args.get("chars")))),
                "omitNil", filter(List.of(), (input, args) -> omitNil(input)),
                "withName", filter(List.of("name"), (input, args) -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("name", args.get("name"));
                    if (input instanceof Map<?, ?> m) {
                        m.forEach((k, v) -> out.putIfAbsent(String.valueOf(k), v));
                    }
                    return out;
                }));
    }

    /** A value as Go's fmt.Sprint prints it: whole numbers without a fraction, null as empty. */
    static String str(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            BigDecimal d = new BigDecimal(value.toString()).stripTrailingZeros();
            return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
        }
        return value.toString();
    }

    /** Istio's excludeInboundPort: the ports list with {@code port} appended unless it is empty, 0 or there. */
    static String excludeInboundPort(String port, String ports) {
        String p = port.trim();
        if (p.isEmpty() || p.equals("0")) {
            return ports;
        }
        List<String> out = new ArrayList<>();
        for (String existing : ports.split(",")) {
            if (existing.equals(p)) {
                return ports;
            }
            if (!existing.trim().isEmpty()) {
                out.add(existing.trim());
            }
        }
        out.add(p);
        return String.join(",", out);
    }

    private static Object fromJson(String text) {
        try {
            JsonNode node = Trees.JSON.readTree(text);
            return Trees.JSON.convertValue(node, Object.class);
        } catch (JacksonException e) {
            return Map.of();
        }
    }

    /**
     * Istio's appendMultusNetwork: adds {@code network} ({@code name} or {@code namespace/name}) to a Multus
     * networks annotation (comma list or JSON list) unless it is there.
     */
    static String appendMultusNetwork(String existing, String network) {
        if (existing.isEmpty()) {
            return network;
        }
        int bracket = existing.lastIndexOf(']');
        if (bracket >= 0) {
            int slash = network.indexOf('/');
            String ns = slash < 0 ? "" : network.substring(0, slash);
            String name = slash < 0 ? network : network.substring(slash + 1);
            try {
                for (JsonNode n : Trees.JSON.readTree(existing)) {
                    if (name.equals(n.path("name").asString("")) && ns.equals(n.path("namespace").asString(""))) {
                        return existing;
                    }
                }
            } catch (JacksonException e) {
                return existing;
            }
            String entry = ns.isEmpty() ? ", {\"name\": \"" + name + "\"}"
                    : ", {\"name\": \"" + name + "\", \"namespace\": \"" + ns + "\"}";
            return existing.substring(0, bracket) + entry + existing.substring(bracket);
        }
        for (String n : existing.split(",")) {
            if (n.trim().equals(network)) {
                return existing;
            }
        }
        return existing + ", " + network;
    }

    /** Sprig's trimAll: {@code chars} cut from both ends. */
    static String trimAll(String value, String chars) {
        int start = 0;
        int end = value.length();
        while (start < end && chars.indexOf(value.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && chars.indexOf(value.charAt(end - 1)) >= 0) {
            end--;
        }
        return value.substring(start, end);
    }

    /** Go's filepath.Dir. */
    static String directory(String path) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            return ".";
        }
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    /** Istio's omitNil: nulls removed from maps and lists, recursively; a map or list left empty goes too. */
    static Object omitNil(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                Object kept = omitNil(v);
                if (kept != null) {
                    out.put(String.valueOf(k), kept);
                }
            });
            return out.isEmpty() ? null : out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> {
                Object kept = omitNil(v);
                if (kept != null) {
                    out.add(kept);
                }
            });
            return out.isEmpty() ? null : out;
        }
        return value;
    }

    /**
     * The entries of sidecar.istio.io/userVolume or userVolumeMount: a JSON object of name to spec gives each
     * spec with its name put first; a JSON array gives its specs as they are (each names itself, as it does in
     * Istio, where the spec's own name wins over the index the template writes).
     */
    static List<Object> namedEntries(String text) {
        List<Object> out = new ArrayList<>();
        Object parsed = fromJson(text);
        if (parsed instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", String.valueOf(k));
                if (v instanceof Map<?, ?> spec) {
                    spec.forEach((sk, sv) -> entry.put(String.valueOf(sk), sv));
                }
                out.add(entry);
            });
        } else if (parsed instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", String.valueOf(i));
                if (l.get(i) instanceof Map<?, ?> spec) {
                    spec.forEach((sk, sv) -> entry.put(String.valueOf(sk), sv));
                }
                out.add(entry);
            }
        }
        return out;
    }

    private static Map<?, ?> podAnnotations(EvaluationContext ctx) {
        if (ctx.getVariable("pod") instanceof Map<?, ?> pod && pod.get("annotations") instanceof Map<?, ?> a) {
            return a;
        }
        return Map.of();
    }

    private static GoJson.Type type(Map<String, Object> args) {
        Object t = args.get("type");
        if (t == null) {
            return GoJson.Type.ANY;
        }
        return switch (t.toString()) {
            case "ContainerPort" -> GoJson.Type.CONTAINER_PORT;
            case "Container" -> GoJson.Type.CONTAINER;
            case "Probe" -> GoJson.Type.PROBE;
            case "VolumeMount" -> GoJson.Type.VOLUME_MOUNT;
            default -> throw new IllegalArgumentException("json: unknown type '" + t + "'");
        };
    }

    private interface Body {
        Object apply(Map<String, Object> args, EvaluationContext context);
    }

    private interface FilterBody {
        Object apply(Object input, Map<String, Object> args);
    }

    private static Function function(List<String> names, Body body) {
        return new Function() {
            @Override
            public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext context,
                                  int lineNumber) {
                return body.apply(args, context);
            }

            @Override
            public List<String> getArgumentNames() {
                return names;
            }
        };
    }

    private static Filter filter(List<String> names, FilterBody body) {
        return new Filter() {
            @Override
            public Object apply(Object input, Map<String, Object> args, PebbleTemplate self,
                                EvaluationContext context, int lineNumber) {
                return body.apply(input, args);
            }

            @Override
            public List<String> getArgumentNames() {
                return names;
            }
        };
    }
}
