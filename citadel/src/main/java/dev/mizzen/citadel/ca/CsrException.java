package dev.mizzen.citadel.ca;

/** The certificate signing request is unusable: malformed, not signed by its key, or with a weak key. */
public final class CsrException extends RuntimeException {
    public CsrException(String message) {
        super(message);
    }
}
