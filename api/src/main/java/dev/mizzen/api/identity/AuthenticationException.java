package dev.mizzen.api.identity;

/** Why a caller could not be given an identity. */
public final class AuthenticationException extends RuntimeException {

    /** The three ways authentication fails; each maps to one gRPC status at the edge. */
    public enum Kind {
        /** No credentials, or credentials that are not even well-formed (not a JWT, a certificate not ours). */
        UNAUTHENTICATED,
        /** Credentials the apiserver checked and refused, or that belong to no service account. */
        PERMISSION_DENIED,
        /** The apiserver could not be asked. */
        UNAVAILABLE
    }

    private final Kind kind;

    public AuthenticationException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public AuthenticationException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
