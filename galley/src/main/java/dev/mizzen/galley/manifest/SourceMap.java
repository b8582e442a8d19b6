package dev.mizzen.galley.manifest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the keys and list items of one document's values are written. Positions are kept beside the plain
 * values (by the identity of each map and list), so validators work on the same plain trees as the webhook and
 * the config store, and only whoever prints a finding looks its path up here.
 *
 * <p>Filled by {@link ManifestReader} while it builds a document, then only read; not thread-safe while filled.
 */
public final class SourceMap {
    private final IdentityHashMap<Object, Map<String, Position>> keys = new IdentityHashMap<>();
    private final IdentityHashMap<Object, List<Position>> items = new IdentityHashMap<>();

    void key(Map<String, Object> map, String key, Position at) {
        keys.computeIfAbsent(map, m -> new HashMap<>()).put(key, at);
    }

    void item(List<Object> list, Position at) {
        items.computeIfAbsent(list, l -> new ArrayList<>()).add(at);
    }

    /** Where {@code key} of {@code map} is written, if {@code map} was read from the file. */
    Optional<Position> keyOf(Map<?, ?> map, String key) {
        Map<String, Position> positions = keys.get(map);
        return positions == null ? Optional.empty() : Optional.ofNullable(positions.get(key));
    }

    /**
     * The position of the deepest value on {@code path} that exists under {@code root}: the key of a map entry,
     * the start of a list item. Path segments are {@code .name}, {@code [index]} or {@code [key]}; a map key
     * that holds dots ({@code sidecar.istio.io/inject}) is found from its dotted segments too.
     */
    public Optional<Position> find(Object root, String path) {
        List<Segment> segments = Segment.parse(path);
        Object node = root;
        Position found = null;
        int i = 0;
        while (i < segments.size() && node != null) {
            if (node instanceof Map<?, ?> map) {
                int used = 0;
                String key = null;
                StringBuilder joined = new StringBuilder();
                for (int j = i; j < segments.size(); j++) {
                    if (j > i) {
                        if (segments.get(j).bracket()) {
                            break;
                        }
                        joined.append('.');
                    }
                    joined.append(segments.get(j).text());
                    if (map.containsKey(joined.toString())) {
                        key = joined.toString();
                        used = j - i + 1;
                        break;
                    }
                    if (segments.get(j).bracket()) {
                        break;
                    }
                }
                if (key == null) {
                    break;
                }
                Optional<Position> at = keyOf(map, key);
                if (at.isPresent()) {
                    found = at.get();
                }
                node = map.get(key);
                i += used;
            } else if (node instanceof List<?> list) {
                int index = segments.get(i).index();
                if (index < 0 || index >= list.size()) {
                    break;
                }
                List<Position> positions = items.get(list);
                if (positions != null && index < positions.size()) {
                    found = positions.get(index);
                }
                node = list.get(index);
                i++;
            } else {
                break;
            }
        }
        return Optional.ofNullable(found);
    }

    /** One step of a field path. */
    private record Segment(String text, boolean bracket) {
        int index() {
            if (text.isEmpty() || text.length() > 9) {
                return -1;
            }
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                    return -1;
                }
            }
            return Integer.parseInt(text);
        }

        static List<Segment> parse(String path) {
            List<Segment> out = new ArrayList<>();
            StringBuilder name = new StringBuilder();
            int i = 0;
            while (i < path.length()) {
                char c = path.charAt(i);
                if (c == '.') {
                    flush(out, name);
                    i++;
                } else if (c == '[') {
                    flush(out, name);
                    int close = path.indexOf(']', i + 1);
                    if (close < 0) {
                        close = path.length();
                    }
                    out.add(new Segment(path.substring(i + 1, close), true));
                    i = close + 1;
                } else {
                    name.append(c);
                    i++;
                }
            }
            flush(out, name);
            return out;
        }

        private static void flush(List<Segment> out, StringBuilder name) {
            if (!name.isEmpty()) {
                out.add(new Segment(name.toString(), false));
                name.setLength(0);
            }
        }
    }
}
