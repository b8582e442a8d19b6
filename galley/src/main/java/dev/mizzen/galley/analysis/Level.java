package dev.mizzen.galley.analysis;

import java.util.Locale;
import java.util.Optional;

/** The level of an analysis message, Istio's {@code diag.Level}: Error is worst, Info least. */
public enum Level {
    ERROR("Error"),
    WARNING("Warning"),
    INFO("Info");

    private final String text;

    Level(String text) {
        this.text = text;
    }

    /** {@code Error}, {@code Warning} or {@code Info}, as istioctl prints it. */
    public String text() {
        return text;
    }

    /** True when this level is as bad as {@code other} or worse ({@code Error} is worse than {@code Warning}). */
    public boolean atLeast(Level other) {
        return ordinal() <= other.ordinal();
    }

    /** A level by its name, any case ({@code error}, {@code Warning}, {@code INFO}). */
    public static Optional<Level> parse(String name) {
        for (Level l : values()) {
            if (l.text.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return text;
    }
}
