package dev.mizzen.galley.analysis;

import java.util.Objects;

/**
 * One kind of analysis message as Istio's {@code msg/messages.yaml} defines it: the code users search for, the
 * name, the level and the Go format template of its text.
 */
public record MessageType(String code, String name, Level level, String template) {
    public MessageType {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(template, "template");
    }

    /** A message of this type about {@code origin}, with the template's arguments in order. */
    public DiagMessage on(Origin origin, Object... args) {
        return new DiagMessage(this, origin, java.util.List.of(args), null);
    }
}
