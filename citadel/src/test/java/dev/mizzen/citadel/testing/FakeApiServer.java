package dev.mizzen.citadel.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * fabric8's mock API server in CRUD mode (Secrets, ConfigMaps, Namespaces, with watches) plus a TokenReview
 * endpoint that answers like the real one: CRUD mode would store a TokenReview without a status, so the POST
 * is served by an expectation that looks the token up among those this fake issued, for audience istio-ca.
 */
public final class FakeApiServer implements AutoCloseable {
    public static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final Map<String, String> usernameByToken = new ConcurrentHashMap<>();
    private final AtomicInteger reviews = new AtomicInteger();
    private final List<AutoCloseable> owned = new java.util.concurrent.CopyOnWriteArrayList<>();

    private FakeApiServer() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new ConcurrentHashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        server.expect().post().withPath(TOKEN_REVIEWS).andReply(201, this::review).always();
        client = server.createClient();
    }

    public static FakeApiServer start(String... namespaces) {
        FakeApiServer api = new FakeApiServer();
        for (String ns : namespaces) {
            api.createNamespace(ns);
        }
        return api;
    }

    public KubernetesClient client() {
        return client;
    }

    /** A new client of the same server (a second replica has its own). */
    public KubernetesClient newClient() {
        return server.createClient();
    }

    public void createNamespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    /** A JWT-shaped token the fake apiserver will authenticate as this service account. */
    public String serviceAccountToken(String namespace, String serviceAccount) {
        String token = jwtShaped();
        usernameByToken.put(token, "system:serviceaccount:" + namespace + ":" + serviceAccount);
        return token;
    }

    /** A JWT-shaped token the fake apiserver does not know. */
    public static String unknownToken() {
        return jwtShaped();
    }

    public int tokenReviews() {
        return reviews.get();
    }

    private Object review(RecordedRequest request) {
        reviews.incrementAndGet();
        TokenReview asked = client.getKubernetesSerialization().unmarshal(request.getUtf8Body(), TokenReview.class);
        String username = usernameByToken.get(asked.getSpec().getToken());
        List<String> audiences = asked.getSpec().getAudiences();
        boolean ok = username != null && audiences != null && audiences.contains("istio-ca");
        var status = new TokenReviewBuilder(asked).withNewStatus().withAuthenticated(ok);
        if (ok) {
            status.withNewUser().withUsername(username)
                    .withGroups("system:serviceaccounts", "system:serviceaccounts:" + username.split(":")[2],
                            "system:authenticated")
                    .endUser().withAudiences(audiences);
        } else {
            status.withError("invalid bearer token");
        }
        return status.endStatus().build();
    }

    private static String jwtShaped() {
        byte[] sig = new byte[32];
        RANDOM.nextBytes(sig);
        var b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes()) + "." + b64.encodeToString(("{\"n\":"
                + RANDOM.nextLong() + "}").getBytes()) + "." + b64.encodeToString(sig);
    }

    /**
     * Closes {@code c} when this server closes, after the server is gone. The mock server can stall its event
     * loop for seconds when a client closes a watch while the server is still sending (its watch listener waits
     * for its sender, which waits for the event loop), so watches are best closed against a dead server.
     */
    public <T extends AutoCloseable> T own(T c) {
        owned.add(0, c);
        return c;
    }

    @Override
    public void close() {
        server.destroy();
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                // closing after the server is gone: nothing left to tell
            }
        }
        client.close();
    }
}
