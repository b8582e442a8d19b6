package dev.mizzen.istiod.cli;

import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells a user's mistake from a bug among the exceptions a command ends with: a {@link UserError}, a missing or
 * unreadable file, a port already in use. Those become one line; anything else is a bug and keeps its stack
 * trace. Pure.
 */
public final class UserErrors {
    private static final Pattern ADDRESS = Pattern.compile("([\\w.\\-]*/)?([\\w.:\\-\\[\\]]+:\\d+)");
    private static final int MAX_CAUSES = 10;

    private UserErrors() {
    }

    public static Optional<String> explain(Throwable e) {
        Throwable t = e;
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            if (t instanceof UserError user) {
                return Optional.of(user.getMessage());
            }
            if (t instanceof NoSuchFileException missing) {
                return Optional.of(missing.getFile() + ": no such file or directory");
            }
            if (t instanceof AccessDeniedException denied) {
                return Optional.of(denied.getFile() + ": permission denied");
            }
            if (t instanceof BindException) {
                return Optional.of(portInUse(e));
            }
        }
        return Optional.empty();
    }

    /** Which address could not be bound: servers name it in the exception that wraps the BindException. */
    private static String portInUse(Throwable e) {
        Throwable t = e;
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            if (t.getMessage() != null) {
                Matcher m = ADDRESS.matcher(t.getMessage());
                if (m.find()) {
                    return "cannot listen on " + m.group(2) + ": the address is already in use (another istiod?); "
                            + "stop it or choose other ports (--xds-port, --secure-xds-port, --webhook-port, --monitoring-port)";
                }
            }
        }
        return "cannot listen: a port is already in use (another istiod?); stop it or choose other ports "
                + "(--xds-port, --secure-xds-port, --webhook-port, --monitoring-port)";
    }
}
