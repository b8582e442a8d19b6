package dev.mizzen.citadel.authn;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The {@code exp} claim of a JWT, read without checking the signature: it only bounds how long the apiserver's
 * answer about the token is remembered, never whether the token is good.
 */
final class TokenExpiry {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private TokenExpiry() {
    }

    static Optional<Instant> of(String jwt) {
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode payload = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            JsonNode exp = payload.get("exp");
            return exp != null && exp.isNumber() ? Optional.of(Instant.ofEpochSecond(exp.asLong())) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
