package dev.mizzen.citadel.authn;

import dev.mizzen.api.identity.AuthenticationException;
import dev.mizzen.api.identity.CallerCredentials;
import dev.mizzen.api.identity.SpiffeId;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.List;
import java.util.Optional;

/**
 * A Kubernetes service-account JWT, checked by the apiserver with a TokenReview for the CA's audiences
 * ({@code istio-ca}). An authenticated token of {@code system:serviceaccount:<ns>:<sa>} (group
 * {@code system:serviceaccounts}) becomes {@code spiffe://<trust-domain>/ns/<ns>/sa/<sa>}.
 *
 * <p>Thread-safe: stateless apart from the fabric8 client, which is.
 */
public final class TokenReviewAuthenticator implements Authenticator {
    private static final String SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";
    private static final String USERNAME_PREFIX = "system:serviceaccount:";

    private final KubernetesClient client;
    private final List<String> audiences;
    private final String trustDomain;

    public TokenReviewAuthenticator(KubernetesClient client, List<String> audiences, String trustDomain) {
        this.client = client;
        this.audiences = List.copyOf(audiences);
        this.trustDomain = trustDomain;
    }

    @Override
    public Optional<SpiffeId> authenticate(CallerCredentials credentials) {
        Optional<String> token = BearerToken.from(credentials);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(identity(review(token.get())));
    }

    private TokenReviewStatus review(String token) {
        TokenReview request = new TokenReviewBuilder()
                .withNewSpec().withToken(token).withAudiences(audiences).endSpec()
                .build();
        TokenReview answer;
        try {
            answer = client.authentication().v1().tokenReviews().create(request);
        } catch (KubernetesClientException e) {
            throw new AuthenticationException(AuthenticationException.Kind.UNAVAILABLE,
                    "the apiserver could not review the token" + (e.getCode() > 0 ? " (HTTP " + e.getCode() + ")" : "")
                            + ": " + rootMessage(e), e);
        } catch (RuntimeException e) {
            throw new AuthenticationException(AuthenticationException.Kind.UNAVAILABLE,
                    "the apiserver could not review the token: " + rootMessage(e), e);
        }
        if (answer == null || answer.getStatus() == null) {
            throw new AuthenticationException(AuthenticationException.Kind.UNAVAILABLE,
                    "the apiserver answered the TokenReview without a status");
        }
        return answer.getStatus();
    }

    private SpiffeId identity(TokenReviewStatus status) {
        if (status.getError() != null && !status.getError().isBlank()) {
            throw denied("the apiserver rejected the token: " + status.getError());
        }
        if (!Boolean.TRUE.equals(status.getAuthenticated())) {
            throw denied("the apiserver did not authenticate the token for audiences " + audiences);
        }
        var user = status.getUser();
        if (user == null || user.getGroups() == null || !user.getGroups().contains(SERVICE_ACCOUNTS_GROUP)) {
            throw denied("the token does not belong to a service account");
        }
        String username = user.getUsername() == null ? "" : user.getUsername();
        String[] parts = username.startsWith(USERNAME_PREFIX)
                ? username.substring(USERNAME_PREFIX.length()).split(":", -1)
                : new String[0];
        if (parts.length != 2) {
            throw denied("the token's user \"" + username + "\" is not system:serviceaccount:<namespace>:<name>");
        }
        try {
            return SpiffeId.of(trustDomain, parts[0], parts[1]);
        } catch (IllegalArgumentException e) {
            throw denied("the token's service account cannot be named in a SPIFFE identity: " + e.getMessage());
        }
    }

    private static AuthenticationException denied(String message) {
        return new AuthenticationException(AuthenticationException.Kind.PERMISSION_DENIED, message);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
