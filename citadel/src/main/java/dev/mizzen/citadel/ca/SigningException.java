package dev.mizzen.citadel.ca;

/** The CA cannot sign right now (its own certificate expired, or the signer failed): not the caller's fault. */
public final class SigningException extends RuntimeException {
    public SigningException(String message) {
        super(message);
    }

    public SigningException(String message, Throwable cause) {
        super(message, cause);
    }
}
