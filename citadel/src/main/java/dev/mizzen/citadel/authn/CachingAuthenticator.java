package dev.mizzen.citadel.authn;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.mizzen.api.identity.AuthenticationException;
import dev.mizzen.api.identity.CallerAuthenticator;
import dev.mizzen.api.identity.CallerCredentials;
import dev.mizzen.api.identity.SpiffeId;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The mesh's authenticator for every port that needs an identity (the CA and xDS on 15012): client certificates
 * are checked on the spot (no apiserver call), bearer tokens once per token, the apiserver's answer remembered
 * until the token expires, at most {@link Settings#maxTokenTtl}. Concurrent callers with one token share one
 * review; a token the apiserver refused is remembered for {@link Settings#deniedTtl}, so a client retrying a bad
 * token in a loop costs the apiserver one review per interval.
 *
 * <p>Token reviews run on {@code reviews}, a bounded executor, never on the caller's thread: a gRPC executor
 * thread is never held by an apiserver round trip. When that executor is full, the caller hears UNAVAILABLE.
 *
 * <p>Thread-safe: the cache is Caffeine's; everything else is immutable.
 */
public final class CachingAuthenticator implements CallerAuthenticator {

    /**
     * @param maxTokenTtl the longest an accepted token is trusted without asking again
     * @param deniedTtl   how long a refused token is refused without asking again
     * @param maxTokens   how many tokens are remembered (entries are small; the bound is against floods)
     */
    public record Settings(Duration maxTokenTtl, Duration deniedTtl, long maxTokens) {
        public static final Settings DEFAULTS = new Settings(Duration.ofHours(1), Duration.ofSeconds(30), 100_000);
    }

    /** What the apiserver said about a token, and until when it holds. */
    private record Review(Optional<SpiffeId> identity, AuthenticationException refusal, Instant until) {
    }

    private final Authenticator certificates;
    private final Authenticator tokens;
    private final Executor reviews;
    private final Clock clock;
    private final Settings settings;
    private final AsyncCache<String, Review> cache;

    /**
     * @param certificates checks client certificates (cheap, local)
     * @param tokens       checks bearer tokens (an apiserver round trip)
     * @param reviews      runs token reviews; bounded
     */
    public CachingAuthenticator(Authenticator certificates, Authenticator tokens, Executor reviews, Clock clock,
                                Settings settings) {
        this.certificates = certificates;
        this.tokens = tokens;
        this.reviews = reviews;
        this.clock = clock;
        this.settings = settings;
        this.cache = Caffeine.newBuilder()
                .maximumSize(settings.maxTokens())
                .executor(Runnable::run)
                .expireAfter(Expiry.creating((String key, Review review) -> {
                    Duration left = Duration.between(clock.instant(), review.until());
                    return left.isNegative() ? Duration.ZERO : left;
                }))
                .buildAsync();
    }

    /**
     * Client certificate first (it costs no apiserver call), then the bearer token. When both are present and the
     * certificate does not hold, the token decides; when only the certificate is there, its failure is reported.
     */
    @Override
    public CompletableFuture<SpiffeId> authenticate(CallerCredentials credentials) {
        AuthenticationException certificateRefusal = null;
        try {
            Optional<SpiffeId> byCertificate = certificates.authenticate(credentials);
            if (byCertificate.isPresent()) {
                return CompletableFuture.completedFuture(byCertificate.get());
            }
        } catch (AuthenticationException e) {
            certificateRefusal = e;
        }
        Optional<String> token;
        try {
            token = BearerToken.from(credentials);
        } catch (AuthenticationException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (token.isEmpty()) {
            return CompletableFuture.failedFuture(certificateRefusal != null ? certificateRefusal : noCredentials());
        }
        String jwt = token.get();
        return cache.get(key(jwt), (k, executor) -> review(jwt)).thenApply(review -> {
            if (review.refusal() != null) {
                throw review.refusal();
            }
            return review.identity().orElseThrow(CachingAuthenticator::noCredentials);
        });
    }

    private CompletableFuture<Review> review(String token) {
        try {
            return CompletableFuture.supplyAsync(() -> reviewNow(token), reviews);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new AuthenticationException(AuthenticationException.Kind.UNAVAILABLE,
                    "too many token reviews are in flight; try again"));
        }
    }

    /** Asks the apiserver; an UNAVAILABLE answer is not remembered (the cache drops failed futures). */
    private Review reviewNow(String token) {
        Instant now = clock.instant();
        try {
            Optional<SpiffeId> id = tokens.authenticate(CallerCredentials.bearer(token));
            Instant until = TokenExpiry.of(token).filter(exp -> exp.isBefore(now.plus(settings.maxTokenTtl())))
                    .orElse(now.plus(settings.maxTokenTtl()));
            return new Review(id, null, until);
        } catch (AuthenticationException e) {
            if (e.kind() == AuthenticationException.Kind.UNAVAILABLE) {
                throw e;
            }
            return new Review(Optional.empty(), e, now.plus(settings.deniedTtl()));
        }
    }

    /** A digest, so the cache does not keep bearer tokens in memory as they came. */
    private static String key(String token) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AuthenticationException noCredentials() {
        return new AuthenticationException(AuthenticationException.Kind.UNAUTHENTICATED,
                "no credentials: send \"authorization: Bearer <service account token>\" or a client certificate "
                        + "issued by this CA");
    }
}
