package dev.mizzen.galley.analysis;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One analysis message: its type, the object it is about, the template's arguments and, when known, the field
 * it points at (Istio's form, {@code spec.http[0].route[0].destination.host}) so a reader of files can say the
 * line. Immutable.
 */
public record DiagMessage(MessageType type, Origin origin, List<Object> args, String field) {
    /** istioctl's order: errors first, then by code, then by object, then by text. */
    public static final Comparator<DiagMessage> ORDER = Comparator
            .comparing((DiagMessage m) -> m.type().level())
            .thenComparing(m -> m.type().code())
            .thenComparing(DiagMessage::origin)
            .thenComparing(DiagMessage::text);

    public DiagMessage {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(origin, "origin");
        args = List.copyOf(args);
    }

    /** The same message pointing at a field. */
    public DiagMessage at(String fieldPath) {
        return new DiagMessage(type, origin, args, fieldPath);
    }

    public Level level() {
        return type.level();
    }

    public String code() {
        return type.code();
    }

    /** The message's text, its template filled in: {@code Referenced host not found: "reviewz"}. */
    public String text() {
        return GoFormat.sprintf(type.template(), args);
    }

    /** istioctl's log line without a file reference: {@code Error [IST0101] (VirtualService default/r) text}. */
    @Override
    public String toString() {
        return line(null);
    }

    /** istioctl's log line; {@code reference} ({@code file.yaml:12}) goes inside the parentheses when given. */
    public String line(String reference) {
        String ref = reference == null || reference.isEmpty() ? "" : " " + reference;
        return type.level().text() + " [" + type.code() + "] (" + origin.friendlyName() + ref + ") " + text();
    }
}
