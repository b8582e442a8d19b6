package dev.mizzen.galley.manifest;

import java.util.ArrayList;
import java.util.List;

/**
 * A YAML node as composed from the parser's events, before it becomes a plain value. An alias is the very
 * node its anchor names, so a tree may share subtrees; {@link ValueBuilder} expands them under limits.
 */
sealed interface YamlNode {
    Position position();

    /**
     * A scalar as written.
     *
     * @param tag   the explicit tag ({@code tag:yaml.org,2002:str}, {@code !}), or null for none
     * @param plain unquoted and not a block scalar: only plain scalars are resolved to numbers, booleans, null
     * @param end   where the scalar's text ends (exclusive)
     */
    record Scalar(String value, String tag, boolean plain, Position position, Position end) implements YamlNode {
    }

    /** A sequence; {@code items} is filled while composing. */
    record Sequence(List<YamlNode> items, String tag, boolean flow, Position position) implements YamlNode {
        Sequence(String tag, boolean flow, Position position) {
            this(new ArrayList<>(), tag, flow, position);
        }
    }

    /** A mapping; {@code entries} is filled while composing, key then value. */
    record Mapping(List<Entry> entries, String tag, boolean flow, Position position) implements YamlNode {
        Mapping(String tag, boolean flow, Position position) {
            this(new ArrayList<>(), tag, flow, position);
        }
    }

    /** One key and its value. */
    record Entry(YamlNode key, YamlNode value) {
    }
}
