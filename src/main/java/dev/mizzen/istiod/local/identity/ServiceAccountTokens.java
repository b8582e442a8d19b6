package dev.mizzen.istiod.local.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Local mode's service-account tokens, as the kube-apiserver issues them (TokenRequest) and checks them
 * (TokenReview): RS256 JWTs with {@code iss}, {@code sub} ({@code system:serviceaccount:<ns>:<sa>}), {@code aud},
 * {@code iat}, {@code nbf}, {@code exp}, {@code jti} and the {@code kubernetes.io} claim (namespace, service
 * account name and uid). The signing key is kept in local mode's state directory, so tokens outlive a restart.
 *
 * <p>Thread-safe: immutable once built (nimbus' signer and verifier are thread-safe).
 */
public final class ServiceAccountTokens {
    /** The issuer a cluster's apiserver names by default ({@code --service-account-issuer}). */
    public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    /** Audiences a token is for when the request names none: the apiserver's own. */
    public static final List<String> API_AUDIENCES = List.of(ISSUER);
    public static final String USERNAME_PREFIX = "system:serviceaccount:";
    /** Kubernetes refuses token requests shorter than 10 minutes. */
    public static final Duration MIN_DURATION = Duration.ofMinutes(10);
    public static final Duration MAX_DURATION = Duration.ofDays(2);
    private static final Duration SKEW = Duration.ofSeconds(60);

    private final RSAKey key;
    private final RSASSASigner signer;
    private final RSASSAVerifier verifier;
    private final Clock clock;

    public ServiceAccountTokens(RSAKey key, Clock clock) {
        if (!key.isPrivate()) {
            throw new IllegalArgumentException("the token signing key has no private part");
        }
        this.key = key;
        this.clock = clock;
        try {
            this.signer = new RSASSASigner(key);
            this.verifier = new RSASSAVerifier(key.toPublicJWK());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable token signing key: " + e.getMessage(), e);
        }
    }

    /** A fresh RSA 2048 signing key with a key id. */
    public static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a token signing key", e);
        }
    }

    /** Reads a key written by {@link #keyJson()}. */
    public static RSAKey parseKey(String json) {
        try {
            return RSAKey.parse(json);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not an RSA JWK: " + e.getMessage(), e);
        }
    }

    /** The signing key as a private JWK (JSON): what the state directory keeps. */
    public String keyJson() {
        return key.toJSONString();
    }

    /** What a token is for. */
    public record Request(String namespace, String serviceAccount, Optional<String> serviceAccountUid,
                          List<String> audiences, Duration duration) {
        public Request {
            if (namespace == null || namespace.isBlank() || serviceAccount == null || serviceAccount.isBlank()) {
                throw new IllegalArgumentException("a token needs a namespace and a service account");
            }
            audiences = audiences == null || audiences.isEmpty() ? API_AUDIENCES : List.copyOf(audiences);
            if (duration.compareTo(MIN_DURATION) < 0) {
                throw new IllegalArgumentException("a token lives at least " + MIN_DURATION.toMinutes() + " minutes");
            }
            if (duration.compareTo(MAX_DURATION) > 0) {
                duration = MAX_DURATION;
            }
        }
    }

    /** An issued token and when it expires. */
    public record Issued(String token, Instant expires) {
    }

    public Issued issue(Request request) {
        Instant now = clock.instant();
        Instant expires = now.plus(request.duration());
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("name", request.serviceAccount());
        request.serviceAccountUid().ifPresent(uid -> account.put("uid", uid));
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(USERNAME_PREFIX + request.namespace() + ":" + request.serviceAccount())
                .audience(request.audiences())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .jwtID(UUID.randomUUID().toString())
                .claim("kubernetes.io", Map.of("namespace", request.namespace(), "serviceaccount", account))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return new Issued(jwt.serialize(), expires);
    }

    /** Who a valid token names, and which of the asked audiences it is for. */
    public record Identity(String namespace, String serviceAccount, Optional<String> serviceAccountUid,
                           List<String> audiences) {
        public String username() {
            return USERNAME_PREFIX + namespace + ":" + serviceAccount;
        }
    }

    /** Why a token was refused: the text a TokenReview's {@code status.error} carries. */
    public static final class InvalidToken extends Exception {
        public InvalidToken(String message) {
            super(message);
        }
    }

    /**
     * Checks a token as the apiserver's authenticator does: our signature (RS256), our issuer, within its
     * lifetime, for at least one of {@code audiences} (the apiserver's own when empty), naming a service account.
     */
    public Identity review(String token, List<String> audiences) throws InvalidToken {
        List<String> wanted = audiences == null || audiences.isEmpty() ? API_AUDIENCES : audiences;
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidToken("not a JWT");
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new InvalidToken("unexpected signing algorithm " + jwt.getHeader().getAlgorithm());
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new InvalidToken("invalid signature");
            }
        } catch (JOSEException e) {
            throw new InvalidToken("invalid signature");
        }
        if (!ISSUER.equals(claims.getIssuer())) {
            throw new InvalidToken("unknown issuer");
        }
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null || !now.isBefore(claims.getExpirationTime().toInstant().plus(SKEW))) {
            throw new InvalidToken("token has expired");
        }
        if (claims.getNotBeforeTime() != null && now.plus(SKEW).isBefore(claims.getNotBeforeTime().toInstant())) {
            throw new InvalidToken("token is not valid yet");
        }
        List<String> granted = new ArrayList<>();
        for (String audience : claims.getAudience()) {
            if (wanted.contains(audience)) {
                granted.add(audience);
            }
        }
        if (granted.isEmpty()) {
            throw new InvalidToken("token audiences " + claims.getAudience() + " do not include " + wanted);
        }
        String subject = claims.getSubject() == null ? "" : claims.getSubject();
        String[] parts = subject.startsWith(USERNAME_PREFIX)
                ? subject.substring(USERNAME_PREFIX.length()).split(":", -1) : new String[0];
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new InvalidToken("token does not name a service account");
        }
        Optional<String> uid = Optional.empty();
        if (claims.getClaim("kubernetes.io") instanceof Map<?, ?> kube
                && kube.get("serviceaccount") instanceof Map<?, ?> account && account.get("uid") instanceof String u) {
            uid = Optional.of(u);
        }
        return new Identity(parts[0], parts[1], uid, List.copyOf(granted));
    }
}
