package dev.mizzen.pilot.security.kube;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.mizzen.api.identity.SpiffeId;
import dev.mizzen.pilot.security.SecretAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Istio's check before it sends a key over SDS: a SubjectAccessReview asking whether
 * {@code system:serviceaccount:<ns>:<sa>} may {@code list} {@code secrets} in {@code <ns>}. Answers are remembered
 * per identity (yes for {@link #ALLOWED_TTL}, no for {@link #DENIED_TTL}, Istio keeps both a few minutes) so a
 * thousand replicas of one workload cost one review; a review that fails counts as "no" and is not remembered.
 *
 * <p>Thread-safe: Caffeine's cache; reviews run on the given bounded executor, never on the caller's thread.
 */
public final class KubeSecretAccessReview implements SecretAccessReview {
    private static final Logger LOG = LoggerFactory.getLogger(KubeSecretAccessReview.class);
    static final Duration ALLOWED_TTL = Duration.ofMinutes(5);
    static final Duration DENIED_TTL = Duration.ofMinutes(1);

    private final KubernetesClient client;
    private final Executor reviews;
    private final AsyncCache<SpiffeId, Boolean> answers;

    public KubeSecretAccessReview(KubernetesClient client, Executor reviews) {
        this.client = client;
        this.reviews = reviews;
        this.answers = Caffeine.newBuilder()
                .maximumSize(100_000)
                .executor(Runnable::run)
                .expireAfter(Expiry.creating((SpiffeId id, Boolean allowed) -> allowed ? ALLOWED_TTL : DENIED_TTL))
                .buildAsync();
    }

    @Override
    public CompletableFuture<Boolean> mayReadSecrets(SpiffeId identity) {
        return answers.get(identity, (id, executor) -> review(id)).exceptionally(failure -> false);
    }

    private CompletableFuture<Boolean> review(SpiffeId id) {
        try {
            return CompletableFuture.supplyAsync(() -> reviewNow(id), reviews);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private boolean reviewNow(SpiffeId id) {
        String user = "system:serviceaccount:" + id.namespace() + ":" + id.serviceAccount();
        SubjectAccessReview request = new SubjectAccessReviewBuilder()
                .withNewSpec()
                .withUser(user)
                .withGroups("system:serviceaccounts", "system:serviceaccounts:" + id.namespace(), "system:authenticated")
                .withNewResourceAttributes().withNamespace(id.namespace()).withVerb("list").withResource("secrets")
                .endResourceAttributes()
                .endSpec()
                .build();
        try {
            SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(request);
            boolean allowed = answer != null && answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
            LOG.debug("{} {} list secrets in {}", user, allowed ? "may" : "may not", id.namespace());
            return allowed;
        } catch (RuntimeException e) {
            LOG.warn("cannot ask the apiserver whether {} may read secrets in {}: {}", user, id.namespace(), e.toString());
            throw e;
        }
    }
}
