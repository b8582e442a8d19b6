package dev.mizzen.citadel.ca;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a certificate lives: the requested time or the default, capped at the maximum, and never past the
 * signing chain's own expiry. The start is backdated a little, as Istio does, so a peer whose clock lags
 * behind the CA's still accepts a fresh certificate.
 */
public record ValidityPolicy(Duration defaultValidity, Duration maxValidity, Duration clockSkew) {
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(2);

    public ValidityPolicy {
        if (defaultValidity.isNegative() || defaultValidity.isZero()) {
            throw new IllegalArgumentException("default validity must be positive: " + defaultValidity);
        }
        if (maxValidity.compareTo(defaultValidity) < 0) {
            throw new IllegalArgumentException("max validity " + maxValidity + " is below the default " + defaultValidity);
        }
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("clock skew must not be negative: " + clockSkew);
        }
    }

    /** A certificate's window. */
    public record Window(Instant notBefore, Instant notAfter) {
    }

    /**
     * @param requested   zero or negative for the default
     * @param signerFrom  when the signing certificate became valid
     * @param signerUntil when the first certificate of the signing chain expires
     * @throws SigningException when the signing chain has expired
     */
    public Window window(Instant now, Duration requested, Instant signerFrom, Instant signerUntil) {
        if (!signerUntil.isAfter(now)) {
            throw new SigningException("the signing certificate expired at " + signerUntil);
        }
        Duration lifetime = requested.isNegative() || requested.isZero() ? defaultValidity : requested;
        if (lifetime.compareTo(maxValidity) > 0) {
            lifetime = maxValidity;
        }
        Instant notAfter = min(now.plus(lifetime), signerUntil);
        Instant notBefore = max(now.minus(clockSkew), signerFrom);
        if (!notBefore.isBefore(notAfter)) {
            notBefore = now;
        }
        return new Window(notBefore, notAfter);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
