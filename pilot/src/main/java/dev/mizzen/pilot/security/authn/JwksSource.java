package dev.mizzen.pilot.security.authn;

/**
 * Where the translation gets the keys of a JWT issuer to inline: a read of what istiod already fetched,
 * never I/O. {@link JwksResolver} is the real one; tests pass a lambda.
 */
@FunctionalInterface
public interface JwksSource {
    /**
     * The JWKS (JSON) for the issuer's {@code jwksUri} (empty: discovered from the issuer), or a key set
     * that rejects every token when none was fetched yet or the fetch failed ({@link FakeJwks}).
     */
    String jwks(String issuer, String jwksUri);
}
