package dev.mizzen.istiod.cli;

/**
 * A mistake the user can fix (a wrong address, a missing file, a port in use): printed as one line, without a
 * stack trace, and the command exits with {@link #EXIT_CODE}.
 */
public final class UserError extends RuntimeException {
    public static final int EXIT_CODE = 2;

    public UserError(String message) {
        super(message, null, false, false);
    }
}
