package dev.mizzen.istiod.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.encoder.EncoderBase;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One line per event, as Istio's components log: {@code 2026-12-06T02:51:59.123456Z\tinfo\tads\tmessage}, or with
 * {@link #setJson(boolean)} a JSON object per line ({@code {"level":"info","time":...,"scope":"ads","msg":...}}).
 * A line break inside a message is escaped, and an exception is summarised on the same line (its class and
 * message and those of its causes) instead of a stack trace, so a log reader never sees half an event.
 */
public final class LogLineEncoder extends EncoderBase<ILoggingEvent> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int MAX_CAUSES = 5;
    private volatile boolean json;

    /** Set from logback.xml ({@code <json>true</json>}) or by {@link LogSettings}. */
    public void setJson(boolean json) {
        this.json = json;
    }

    public boolean isJson() {
        return json;
    }

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return line(event).getBytes(StandardCharsets.UTF_8);
    }

    String line(ILoggingEvent event) {
        String time = TIME.format(Instant.ofEpochMilli(event.getTimeStamp()));
        String level = level(event.getLevel());
        String scope = LogScopes.of(event.getLoggerName());
        String message = event.getFormattedMessage();
        String error = event.getThrowableProxy() == null ? "" : summary(event.getThrowableProxy());
        if (json) {
            StringBuilder out = new StringBuilder("{\"level\":\"").append(level).append("\",\"time\":\"").append(time)
                    .append("\",\"scope\":\"").append(scope).append("\",\"msg\":");
            quote(message == null ? "" : message, out);
            if (!error.isEmpty()) {
                out.append(",\"error\":");
                quote(error, out);
            }
            return out.append("}\n").toString();
        }
        String text = message == null ? "" : message;
        if (!error.isEmpty()) {
            text = text + ": " + error;
        }
        return time + "\t" + level + "\t" + scope + "\t" + oneLine(text) + "\n";
    }

    private static String level(Level level) {
        return level.levelInt >= Level.ERROR_INT ? "error" : level.levelInt >= Level.WARN_INT ? "warn"
                : level.toString().toLowerCase(Locale.ROOT);
    }

    private static String summary(IThrowableProxy t) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            if (i > 0) {
                out.append("; caused by ");
            }
            out.append(t.getClassName());
            if (t.getMessage() != null) {
                out.append(": ").append(t.getMessage());
            }
        }
        return out.toString();
    }

    private static String oneLine(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
