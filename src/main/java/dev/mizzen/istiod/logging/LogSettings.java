package dev.mizzen.istiod.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import dev.mizzen.istiod.cli.UserError;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code --log-level}, {@code --log_output_level} and {@code --log-as-json} ask for, parsed and validated
 * ({@link #parse}) before anything starts, then applied to logback ({@link #apply}). Istio's levels: debug,
 * info, warn, error, fatal (here: error) and none.
 */
public record LogSettings(Level defaultLevel, Map<String, Level> scopes, boolean json) {
    public LogSettings {
        scopes = Map.copyOf(scopes);
    }

    /**
     * @param level       the level of every scope not named in {@code outputLevels}; empty for logback.xml's
     * @param outputLevels Istio's {@code scope:level,scope:level}; a bare level is the {@code default} scope's
     */
    public static LogSettings parse(String level, String outputLevels, boolean json) {
        Level base = level == null || level.isBlank() ? null : level("--log-level", level);
        Map<String, Level> scopes = new LinkedHashMap<>();
        if (outputLevels != null && !outputLevels.isBlank()) {
            for (String entry : outputLevels.split(",")) {
                String e = entry.trim();
                int colon = e.lastIndexOf(':');
                String scope = colon < 0 ? "default" : e.substring(0, colon).trim();
                Level l = level("--log_output_level " + e, colon < 0 ? e : e.substring(colon + 1).trim());
                if (scope.equals("all")) {
                    LogScopes.SCOPES.keySet().forEach(s -> scopes.put(s, l));
                } else if (!LogScopes.exists(scope)) {
                    throw new UserError("--log_output_level: unknown scope " + scope + " (scopes: all, "
                            + LogScopes.names() + ")");
                } else {
                    scopes.put(scope, l);
                }
            }
        }
        return new LogSettings(base, scopes, json);
    }

    private static Level level(String option, String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "debug" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "warn", "warning" -> Level.WARN;
            case "error", "fatal" -> Level.ERROR;
            case "none" -> Level.OFF;
            default -> throw new UserError(option + ": unknown level " + name
                    + " (levels: debug, info, warn, error, fatal, none)");
        };
    }

    /** Applies the levels and the line format to logback; a no-op when logging is not logback. */
    public void apply() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (defaultLevel != null) {
            root.setLevel(defaultLevel);
            context.getLogger("dev.mizzen").setLevel(defaultLevel);
        }
        // default first, so that narrower scopes set after it win
        if (scopes.containsKey("default")) {
            LogScopes.loggers("default").forEach(name -> context.getLogger(name).setLevel(scopes.get("default")));
        }
        scopes.forEach((scope, level) -> {
            if (!scope.equals("default")) {
                LogScopes.loggers(scope).forEach(name -> context.getLogger(name).setLevel(level));
            }
        });
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
                LogLineEncoder encoder = new LogLineEncoder();
                encoder.setJson(json);
                encoder.setContext(context);
                encoder.start();
                appender.stop();
                appender.setEncoder(encoder);
                appender.start();
            }
        }
    }
}
