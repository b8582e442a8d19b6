package dev.mizzen.pilot.security.authz;

/**
 * A value of a rule that cannot be generated for the target (HTTP-only on a TCP chain, not supported by
 * grpc-java) or is invalid (bad CIDR or port). Like Istio's generator errors: an ALLOW rule that hits one is
 * dropped whole (it allows less), a DENY or AUDIT rule drops only that condition (it denies more).
 */
final class Unsupported extends Exception {
    private final boolean becauseOfTarget;

    private Unsupported(String message, boolean becauseOfTarget) {
        super(message, null, false, false);
        this.becauseOfTarget = becauseOfTarget;
    }

    static Unsupported onTarget(String message) {
        return new Unsupported(message, true);
    }

    static Unsupported invalid(String message) {
        return new Unsupported(message, false);
    }

    boolean becauseOfTarget() {
        return becauseOfTarget;
    }
}
