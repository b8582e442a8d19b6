package dev.mizzen.citadel.authn;

import dev.mizzen.api.identity.AuthenticationException;
import dev.mizzen.api.identity.CallerCredentials;

import java.util.Optional;
import java.util.regex.Pattern;

/** The token of an {@code authorization: Bearer <token>} header, checked to be shaped like a JWT. */
public final class BearerToken {
    private static final String SCHEME = "Bearer";
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final int MAX_TOKEN_CHARS = 16 * 1024;

    private BearerToken() {
    }

    /**
     * @return the token, or empty when there is no authorization header
     * @throws AuthenticationException (UNAUTHENTICATED) when the header is not a bearer JWT
     */
    public static Optional<String> from(CallerCredentials credentials) {
        if (credentials.authorization().isEmpty()) {
            return Optional.empty();
        }
        String header = credentials.authorization().get().strip();
        String[] parts = header.split("\\s+", 2);
        if (!parts[0].equalsIgnoreCase(SCHEME)) {
            throw unauthenticated("the authorization header is not \"Bearer <token>\"");
        }
        String token = parts.length < 2 ? "" : parts[1].strip();
        if (token.isEmpty()) {
            throw unauthenticated("the bearer token is empty");
        }
        if (token.length() > MAX_TOKEN_CHARS || !JWT.matcher(token).matches()) {
            throw unauthenticated("the bearer token is not a JWT");
        }
        return Optional.of(token);
    }

    private static AuthenticationException unauthenticated(String message) {
        return new AuthenticationException(AuthenticationException.Kind.UNAUTHENTICATED, message);
    }
}
