package dev.mizzen.galley.manifest;

import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Composes one document's parser events into {@link YamlNode}s, iteratively (a deeply nested file cannot
 * overflow the stack): anchors and aliases resolved to shared nodes, nesting and alias counts bounded.
 *
 * <p>One go-yaml rule is kept on purpose, because the apiserver and kubectl read YAML with go-yaml: in a
 * flow sequence, a plain scalar that ends with {@code :} right before {@code ,} or {@code ]} is that scalar,
 * colon included, so {@code [1.2.3.4, fd00::]} holds the address {@code fd00::}. YAML 1.2 reads the colon as
 * a mapping indicator there and would make it {@code {"fd00:": null}}.
 *
 * <p>Not thread-safe: one instance composes one document.
 */
final class EventComposer {
    private final ReaderLimits limits;
    private final SourceText text;
    private final Deque<YamlNode> open = new ArrayDeque<>();
    private final Map<String, YamlNode> anchors = new HashMap<>();
    private final Set<YamlNode> unfinished = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<YamlNode, YamlNode> pendingKeys = new IdentityHashMap<>();
    private YamlNode root;
    private int aliases;

    EventComposer(ReaderLimits limits, SourceText text) {
        this.limits = limits;
        this.text = text;
    }

    /** Adds one event of the document (between its document start and end events). */
    void accept(Event event) throws ManifestException {
        switch (event.getEventId()) {
            case Scalar -> {
                ScalarEvent scalar = (ScalarEvent) event;
                YamlNode node = new YamlNode.Scalar(scalar.getValue(), scalar.getTag().orElse(null), scalar.isPlain(),
                        position(event.getStartMark()), position(event.getEndMark()));
                anchor(scalar, node);
                add(node);
            }
            case SequenceStart, MappingStart -> {
                CollectionStartEvent start = (CollectionStartEvent) event;
                if (open.size() >= limits.maxDepth()) {
                    throw new ManifestException(position(event.getStartMark()),
                            "nested deeper than " + limits.maxDepth() + " levels");
                }
                String tag = start.getTag().orElse(null);
                YamlNode node = event.getEventId() == Event.ID.SequenceStart
                        ? new YamlNode.Sequence(tag, start.isFlow(), position(event.getStartMark()))
                        : new YamlNode.Mapping(tag, start.isFlow(), position(event.getStartMark()));
                anchor(start, node);
                unfinished.add(node);
                open.push(node);
            }
            case SequenceEnd, MappingEnd -> {
                YamlNode node = open.pop();
                unfinished.remove(node);
                add(goYamlFlowScalar(node));
            }
            case Alias -> {
                Anchor name = ((AliasEvent) event).getAlias();
                YamlNode target = anchors.get(name.getValue());
                Position at = position(event.getStartMark());
                if (target == null) {
                    throw new ManifestException(at, "unknown anchor \"" + name.getValue() + "\"");
                }
                if (unfinished.contains(target)) {
                    throw new ManifestException(at, "anchor \"" + name.getValue() + "\" is used inside itself");
                }
                if (++aliases > limits.maxAliases()) {
                    throw new ManifestException(at, "more than " + limits.maxAliases() + " aliases in one document");
                }
                add(target);
            }
            default -> {
                // stream, document and comment events carry no content
            }
        }
    }

    /** The document's root node, or null for an empty document. */
    YamlNode root() {
        return root;
    }

    private void anchor(NodeEvent event, YamlNode node) {
        event.getAnchor().ifPresent(a -> anchors.put(a.getValue(), node));
    }

    private void add(YamlNode node) {
        YamlNode parent = open.peek();
        if (parent == null) {
            root = node;
        } else if (parent instanceof YamlNode.Sequence seq) {
            seq.items().add(node);
        } else if (parent instanceof YamlNode.Mapping map) {
            YamlNode key = pendingKeys.remove(map);
            if (key == null) {
                pendingKeys.put(map, node);
            } else {
                map.entries().add(new YamlNode.Entry(key, node));
            }
        }
    }

    /** {@code [a:]} read as go-yaml reads it: the scalar {@code "a:"}, not the mapping {@code {a: null}}. */
    private YamlNode goYamlFlowScalar(YamlNode node) {
        if (!(node instanceof YamlNode.Mapping map) || !map.flow() || map.entries().size() != 1
                || !(open.peek() instanceof YamlNode.Sequence parent) || !parent.flow()) {
            return node;
        }
        YamlNode.Entry entry = map.entries().get(0);
        if (!(entry.key() instanceof YamlNode.Scalar key) || !(entry.value() instanceof YamlNode.Scalar value)
                || !key.plain() || key.tag() != null || !value.plain() || value.tag() != null || !value.value().isEmpty()
                || !key.position().equals(map.position())) {
            return node;
        }
        Optional<Integer> colon = text.codePointAt(key.end(), 0);
        Optional<Integer> after = text.codePointAt(key.end(), 1);
        if (colon.isPresent() && colon.get() == ':' && after.isPresent() && ",]".indexOf(after.get()) >= 0) {
            return new YamlNode.Scalar(key.value() + ":", null, true, key.position(), key.end());
        }
        return node;
    }

    static Position position(Optional<Mark> mark) {
        return mark.map(m -> new Position(m.getLine() + 1, m.getColumn() + 1)).orElse(new Position(1, 1));
    }
}
