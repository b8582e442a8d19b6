package dev.mizzen.galley.manifest;

import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns composed {@link YamlNode}s into plain values with YAML 1.2's core schema, the way the apiserver's
 * JSON would hold them: aliases and merge keys ({@code <<: *base}) expanded, duplicate keys refused, keys
 * as strings, numbers that JSON cannot carry (.inf, .nan) refused. Every expanded value counts against
 * {@link ReaderLimits#maxValues()} and {@link ReaderLimits#maxDepth()}, so aliases cannot blow up.
 *
 * <p>Not thread-safe: one instance builds one document.
 */
final class ValueBuilder {
    private static final ScalarResolver CORE = new CoreScalarResolver(true);
    private static final String MERGE = Tag.MERGE.getValue();

    private final ReaderLimits limits;
    private final SourceMap sources;
    private int values;

    ValueBuilder(ReaderLimits limits, SourceMap sources) {
        this.limits = limits;
        this.sources = sources;
    }

    Object build(YamlNode node, int depth) throws ManifestException {
        if (++values > limits.maxValues()) {
            throw new ManifestException(node.position(),
                    "more than " + limits.maxValues() + " values once aliases are expanded");
        }
        if (depth > limits.maxDepth()) {
            throw new ManifestException(node.position(), "nested deeper than " + limits.maxDepth() + " levels");
        }
        if (node instanceof YamlNode.Scalar scalar) {
            return scalar(scalar);
        }
        if (node instanceof YamlNode.Sequence seq) {
            checkCollectionTag(seq.tag(), Tag.SEQ, seq.position());
            List<Object> list = new ArrayList<>(seq.items().size());
            for (YamlNode item : seq.items()) {
                list.add(build(item, depth + 1));
                sources.item(list, item.position());
            }
            return list;
        }
        return mapping((YamlNode.Mapping) node, depth);
    }

    private Map<String, Object> mapping(YamlNode.Mapping node, int depth) throws ManifestException {
        checkCollectionTag(node.tag(), Tag.MAP, node.position());
        Map<String, Object> map = new LinkedHashMap<>();
        List<YamlNode> merges = new ArrayList<>();
        for (YamlNode.Entry entry : node.entries()) {
            if (isMergeKey(entry.key())) {
                merges.add(entry.value());
                continue;
            }
            String key = key(entry.key());
            if (map.containsKey(key)) {
                throw new ManifestException(entry.key().position(), "duplicate key \"" + key + "\"");
            }
            map.put(key, build(entry.value(), depth + 1));
            sources.key(map, key, entry.key().position());
        }
        // keys written in the mapping win over merged ones; of merged mappings, the earlier wins
        for (YamlNode merge : merges) {
            for (YamlNode source : mergeSources(merge)) {
                Map<String, Object> merged = mapping((YamlNode.Mapping) source, depth);
                for (Map.Entry<String, Object> e : merged.entrySet()) {
                    if (!map.containsKey(e.getKey())) {
                        map.put(e.getKey(), e.getValue());
                        sources.keyOf(merged, e.getKey()).ifPresent(at -> sources.key(map, e.getKey(), at));
                    }
                }
            }
        }
        return map;
    }

    private static List<YamlNode> mergeSources(YamlNode merge) throws ManifestException {
        if (merge instanceof YamlNode.Mapping) {
            return List.of(merge);
        }
        if (merge instanceof YamlNode.Sequence seq && seq.items().stream().allMatch(YamlNode.Mapping.class::isInstance)) {
            return seq.items();
        }
        throw new ManifestException(merge.position(), "a merge key (<<) takes a mapping or a list of mappings");
    }

    private static boolean isMergeKey(YamlNode key) {
        return key instanceof YamlNode.Scalar s
                && (MERGE.equals(s.tag()) || (s.tag() == null && s.plain() && s.value().equals("<<")));
    }

    /** Keys are strings, as in JSON; a scalar key is taken as written ({@code 80:} is the key "80"). */
    private static String key(YamlNode key) throws ManifestException {
        if (!(key instanceof YamlNode.Scalar scalar)) {
            throw new ManifestException(key.position(), "a mapping key must be a string, not a "
                    + (key instanceof YamlNode.Sequence ? "list" : "mapping"));
        }
        if (scalar.plain() && scalar.tag() == null && CORE.resolve(scalar.value(), true) == Tag.NULL) {
            throw new ManifestException(key.position(), "a mapping key must not be null");
        }
        return scalar.value();
    }

    private static void checkCollectionTag(String tag, Tag expected, Position at) throws ManifestException {
        if (tag != null && !tag.equals(expected.getValue()) && !tag.equals("!")) {
            throw new ManifestException(at, "unsupported tag " + tag);
        }
    }

    private static Object scalar(YamlNode.Scalar node) throws ManifestException {
        String value = node.value();
        String tag;
        if (node.tag() != null && !node.tag().equals("!")) {
            tag = node.tag();
        } else if (node.plain() && node.tag() == null) {
            Tag resolved = CORE.resolve(value, true);
            // ${NAME} is text: the engine's environment substitution is never applied
            tag = resolved == Tag.ENV_TAG || resolved == Tag.MERGE ? Tag.STR.getValue() : resolved.getValue();
        } else {
            tag = Tag.STR.getValue();
        }
        try {
            if (tag.equals(Tag.STR.getValue())) {
                return value;
            }
            if (tag.equals(Tag.NULL.getValue())) {
                return null;
            }
            if (tag.equals(Tag.BOOL.getValue())) {
                return bool(value);
            }
            if (tag.equals(Tag.INT.getValue())) {
                return integer(value);
            }
            if (tag.equals(Tag.FLOAT.getValue())) {
                return floating(value, node.position());
            }
        } catch (NumberFormatException e) {
            throw new ManifestException(node.position(), "\"" + value + "\" is not a valid " + shortTag(tag));
        }
        throw new ManifestException(node.position(), "unsupported tag " + shortTag(tag));
    }

    private static Boolean bool(String value) {
        return switch (value) {
            case "true", "True", "TRUE" -> Boolean.TRUE;
            case "false", "False", "FALSE" -> Boolean.FALSE;
            default -> throw new NumberFormatException(value);
        };
    }

    private static Object integer(String text) {
        String value = text;
        boolean negative = false;
        if (value.startsWith("-") || value.startsWith("+")) {
            negative = value.startsWith("-");
            value = value.substring(1);
        }
        int radix = 10;
        if (value.startsWith("0x")) {
            radix = 16;
            value = value.substring(2);
        } else if (value.startsWith("0o")) {
            radix = 8;
            value = value.substring(2);
        }
        BigInteger n = new BigInteger(value, radix);
        if (negative) {
            n = n.negate();
        }
        // as Jackson reads JSON, so fabric8 and other Jackson-based readers take the values as they come
        if (n.bitLength() < 32) {
            return n.intValue();
        }
        return n.bitLength() < 64 ? (Object) n.longValue() : n;
    }

    private static Double floating(String value, Position at) throws ManifestException {
        String lower = value.toLowerCase();
        if (lower.endsWith(".inf") || lower.equals(".nan")) {
            throw new ManifestException(at, value + " cannot be written in JSON: use a finite number");
        }
        return Double.valueOf(value);
    }

    private static String shortTag(String tag) {
        return tag.startsWith(Tag.PREFIX) ? "!!" + tag.substring(Tag.PREFIX.length()) : tag;
    }
}
