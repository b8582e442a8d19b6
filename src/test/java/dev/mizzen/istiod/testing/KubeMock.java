package dev.mizzen.istiod.testing;

import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.galley.config.KubeConfigStore;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's mock API server in CRUD mode with Istio's kinds, which also answers requests the CRUD mode cannot
 * (a SubjectAccessReview has no stored object to answer from) with canned responses.
 */
public final class KubeMock implements AutoCloseable {
    private final KubernetesMockServer server;
    private final KubernetesClient client;

    private KubeMock(KubernetesMockServer server) {
        this.server = server;
        this.client = server.createClient();
    }

    public static KubeMock start() {
        List<CustomResourceDefinitionContext> crds = ConfigKind.all().stream().map(KubeConfigStore::crdContext).toList();
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses, crds), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        crds.forEach(server::expectCustomResource);
        return new KubeMock(server);
    }

    /** Every SubjectAccessReview is answered {@code allowed} (or not), whoever asks about whom. */
    public void answerSubjectAccessReviews(boolean allowed) {
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/subjectaccessreviews")
                .andReturn(201, new SubjectAccessReviewBuilder().withNewStatus().withAllowed(allowed).endStatus().build())
                .always();
    }

    /** Every TokenReview is answered: authenticated as this service account (namespace, name). */
    public void answerTokenReviews(String namespace, String serviceAccount) {
        server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews")
                .andReturn(201, new TokenReviewBuilder().withNewStatus().withAuthenticated(true)
                        .withNewUser().withUsername("system:serviceaccount:" + namespace + ":" + serviceAccount)
                        .withGroups("system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated")
                        .endUser().withAudiences("istio-ca").endStatus().build())
                .always();
    }

    public KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
