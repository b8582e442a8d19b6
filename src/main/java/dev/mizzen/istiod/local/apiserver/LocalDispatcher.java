package dev.mizzen.istiod.local.apiserver;

import dev.mizzen.api.config.SpecReader;
import dev.mizzen.istiod.local.identity.ServiceAccountTokens;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD dispatcher with what a kube-apiserver does besides storing objects, as far as local mode needs it:
 * <ul>
 *   <li>every request carries the admin bearer token of the written kubeconfig, or gets 401;</li>
 *   <li>discovery ({@link Discovery}) for kubectl and clients;</li>
 *   <li>Services get a cluster IP from the service range on create (kept on update, released on delete;
 *       {@code clusterIP: None} stays headless, ExternalName gets none), ports defaulted (protocol TCP, targetPort =
 *       port), as the apiserver's Service storage does;</li>
 *   <li>TokenReview and TokenRequest ({@code serviceaccounts/<name>/token}) through {@link ServiceAccountTokens},
 *       checking that the service account (and its uid) still exists;</li>
 *   <li>CustomResourceDefinitions created in it serve their kinds at every served version;</li>
 *   <li>the file loader (its client sends {@value #LOADER_HEADER}) may set {@code creationTimestamp} on create, so
 *       precedence among objects from files is the same at every start.</li>
 * </ul>
 *
 * <p>Threading: the mock server's threads call {@link #dispatch}; the store is guarded by the parent's lock, the IP
 * allocator by its own monitor; a create's requested timestamp travels on the dispatching thread.
 */
public final class LocalDispatcher extends KubernetesCrudDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(LocalDispatcher.class);
    /** The header the file loader's client sends: its creation timestamps are kept. */
    public static final String LOADER_HEADER = "X-Mizzen-Manifest-Loader";
    private static final String CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    private static final Pattern SERVICES = Pattern.compile("/api/v1/namespaces/([^/]+)/services(/([^/?]+))?(\\?.*)?");
    private static final Pattern TOKEN_REQUEST =
            Pattern.compile("/api/v1/namespaces/([^/]+)/serviceaccounts/([^/?]+)/token(\\?.*)?");
    private static final Pattern TOKEN_REVIEW = Pattern.compile("/apis/authentication\\.k8s\\.io/v1/tokenreviews/?(\\?.*)?");
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final byte[] adminToken;
    private final Discovery discovery;
    private final IpAllocator serviceIps;
    private final ServiceAccountTokens tokens;
    private final ThreadLocal<String> requestedCreation = new ThreadLocal<>();

    public LocalDispatcher(String adminToken, Discovery discovery, IpAllocator serviceIps, ServiceAccountTokens tokens) {
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
        this.discovery = discovery;
        this.serviceIps = serviceIps;
        this.tokens = tokens;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (!authorized(request)) {
            return status(401, "Unauthorized", "Unauthorized");
        }
        String path = request.getPath();
        String method = request.getMethod();
        if ("GET".equals(method)) {
            Optional<String> document = discovery.answer(path);
            if (document.isPresent()) {
                return json(200, document.get());
            }
            return super.dispatch(request);
        }
        if ("POST".equals(method)) {
            String body = request.getBody().readUtf8();
            if (TOKEN_REVIEW.matcher(path).matches()) {
                return tokenReview(body);
            }
            Matcher tokenRequest = TOKEN_REQUEST.matcher(path);
            if (tokenRequest.matches()) {
                return tokenRequest(tokenRequest.group(1), tokenRequest.group(2), body);
            }
            return create(request, path, body);
        }
        if ("PUT".equals(method)) {
            Matcher service = SERVICES.matcher(path);
            if (service.matches() && service.group(3) != null && !path.contains("/status")) {
                String body = request.getBody().readUtf8();
                return updateService(request, path, service.group(1), service.group(3), body);
            }
        }
        return super.dispatch(request);
    }

    private boolean authorized(RecordedRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(adminToken, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    private MockResponse create(RecordedRequest request, String path, String body) {
        Matcher service = SERVICES.matcher(path);
        String allocated = null;
        if (service.matches() && service.group(3) == null) {
            ObjectNode tree;
            try {
                tree = object(body);
            } catch (RuntimeException e) {
                return status(400, "BadRequest", "the body is not a JSON object: " + e.getMessage());
            }
            try {
                allocated = ServiceDefaults.onCreate(tree, serviceIps);
            } catch (IllegalArgumentException e) {
                return status(422, "Invalid", "Service \"" + tree.path("metadata").path("name").asText() + "\" is invalid: "
                        + e.getMessage());
            }
            body = tree.toString();
        }
        String creation = request.getHeader(LOADER_HEADER) != null ? requestedCreationTimestamp(body) : null;
        requestedCreation.set(creation);
        MockResponse response;
        try {
            response = super.dispatch(rebuilt(request, body));
        } finally {
            requestedCreation.remove();
        }
        if (allocated != null && response.code() != 201) {
            serviceIps.release(allocated);
        }
        return response;
    }

    private MockResponse updateService(RecordedRequest request, String path, String namespace, String name, String body) {
        ObjectNode tree;
        try {
            tree = object(body);
        } catch (RuntimeException e) {
            return status(400, "BadRequest", "the body is not a JSON object: " + e.getMessage());
        }
        var current = findResource(getKey("/api/v1/namespaces/" + namespace + "/services/" + name));
        if (current != null) {
            try {
                ServiceDefaults.onUpdate(tree, object(current.getValue()));
            } catch (IllegalArgumentException e) {
                return status(422, "Invalid", "Service \"" + name + "\" is invalid: " + e.getMessage());
            }
        }
        return super.dispatch(rebuilt(request, tree.toString()));
    }

    private static String requestedCreationTimestamp(String body) {
        try {
            JsonNode created = SpecReader.mapper().readTree(body).path("metadata").path("creationTimestamp");
            return created.isString() && !created.asString().isBlank() ? java.time.Instant.parse(created.asString()).toString()
                    : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
                             GenericKubernetesResource resource, String newState) {
        String creation = requestedCreation.get();
        if (creation != null && oldAttributes == null && resource != null && newState != null) {
            resource.getMetadata().setCreationTimestamp(creation);
            newState = JSON.asJson(resource);
        }
        String existing = oldAttributes == null ? null : getMap().get(oldAttributes);
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
        if (newState == null && existing != null && SERVICES.matcher(path).matches()) {
            ServiceDefaults.clusterIps(object(existing)).forEach(serviceIps::release);
        }
        if (path.startsWith(CRD_PATH)) {
            crdChanged(existing, newState);
        }
    }

    /** A CRD's kinds are served at each of its served versions, and listed by discovery. */
    private void crdChanged(String existing, String newState) {
        try {
            if (newState == null) {
                if (existing != null) {
                    discovery.crdChanged(JSON.unmarshal(existing, CustomResourceDefinition.class).getMetadata().getName(), null);
                }
                return;
            }
            CustomResourceDefinition crd = JSON.unmarshal(newState, CustomResourceDefinition.class);
            discovery.crdChanged(crd.getMetadata().getName(), crd);
            for (String version : Discovery.servedVersions(crd)) {
                expectCustomResource(new CustomResourceDefinitionContext.Builder()
                        .withName(crd.getMetadata().getName())
                        .withGroup(crd.getSpec().getGroup())
                        .withVersion(version)
                        .withKind(crd.getSpec().getNames().getKind())
                        .withPlural(crd.getSpec().getNames().getPlural())
                        .withScope(crd.getSpec().getScope())
                        .build());
            }
        } catch (RuntimeException e) {
            LOG.warn("a CustomResourceDefinition could not be read for discovery: {}", e.getMessage());
        }
    }

    private MockResponse tokenReview(String body) {
        ObjectNode review;
        try {
            review = object(body);
        } catch (RuntimeException e) {
            return status(400, "BadRequest", "the body is not a TokenReview");
        }
        String token = review.path("spec").path("token").asString("");
        List<String> audiences = strings(review.path("spec").path("audiences"));
        ObjectNode status = review.putObject("status");
        try {
            ServiceAccountTokens.Identity id = tokens.review(token, audiences);
            String uid = serviceAccountUid(id.namespace(), id.serviceAccount()).orElseThrow(() ->
                    new ServiceAccountTokens.InvalidToken("service account " + id.namespace() + "/" + id.serviceAccount()
                            + " has been deleted"));
            if (id.serviceAccountUid().isPresent() && !id.serviceAccountUid().get().equals(uid)) {
                throw new ServiceAccountTokens.InvalidToken("service account UID (" + uid + ") does not match claim ("
                        + id.serviceAccountUid().get() + ")");
            }
            status.put("authenticated", true);
            ObjectNode user = status.putObject("user");
            user.put("username", id.username());
            user.put("uid", uid);
            ArrayNode groups = user.putArray("groups");
            groups.add("system:serviceaccounts");
            groups.add("system:serviceaccounts:" + id.namespace());
            groups.add("system:authenticated");
            ArrayNode granted = status.putArray("audiences");
            id.audiences().forEach(granted::add);
        } catch (ServiceAccountTokens.InvalidToken e) {
            status.putObject("user");
            status.put("error", "[invalid bearer token, " + e.getMessage() + "]");
        }
        review.put("apiVersion", "authentication.k8s.io/v1");
        review.put("kind", "TokenReview");
        review.remove("spec");
        review.putObject("spec").put("token", "");
        return json(201, review.toString());
    }

    private MockResponse tokenRequest(String namespace, String serviceAccount, String body) {
        ObjectNode request;
        try {
            request = body == null || body.isBlank() ? SpecReader.mapper().createObjectNode() : object(body);
        } catch (RuntimeException e) {
            return status(400, "BadRequest", "the body is not a TokenRequest");
        }
        long seconds = request.path("spec").path("expirationSeconds").asLong(3600);
        try {
            ServiceAccountTokens.Issued issued = issue(namespace, serviceAccount,
                    strings(request.path("spec").path("audiences")), java.time.Duration.ofSeconds(seconds));
            request.put("apiVersion", "authentication.k8s.io/v1");
            request.put("kind", "TokenRequest");
            ObjectNode metadata = request.putObject("metadata");
            metadata.put("name", serviceAccount);
            metadata.put("namespace", namespace);
            ObjectNode status = request.putObject("status");
            status.put("token", issued.token());
            status.put("expirationTimestamp", issued.expires().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            return json(201, request.toString());
        } catch (java.util.NoSuchElementException e) {
            return status(404, "NotFound", "serviceaccounts \"" + serviceAccount + "\" not found");
        } catch (IllegalArgumentException e) {
            return status(422, "Invalid", e.getMessage());
        }
    }

    /**
     * A token for a service account that exists now (with its uid), as TokenRequest issues it.
     *
     * @throws java.util.NoSuchElementException when the service account does not exist
     */
    public ServiceAccountTokens.Issued issue(String namespace, String serviceAccount, List<String> audiences,
                                             java.time.Duration duration) {
        String uid = serviceAccountUid(namespace, serviceAccount).orElseThrow();
        return tokens.issue(new ServiceAccountTokens.Request(namespace, serviceAccount, Optional.of(uid), audiences, duration));
    }

    private Optional<String> serviceAccountUid(String namespace, String name) {
        var entry = findResource(getKey("/api/v1/namespaces/" + namespace + "/serviceaccounts/" + name));
        if (entry == null) {
            return Optional.empty();
        }
        return Optional.of(object(entry.getValue()).path("metadata").path("uid").asString(""));
    }

    private static List<String> strings(JsonNode array) {
        if (!array.isArray()) {
            return List.of();
        }
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asString("")));
        return out;
    }

    static ObjectNode object(String json) {
        JsonNode tree = SpecReader.mapper().readTree(json);
        if (!(tree instanceof ObjectNode node)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return node;
    }

    private static RecordedRequest rebuilt(RecordedRequest request, String body) {
        return new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(), request.getHeaders(),
                new Buffer(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }

    private static MockResponse status(int code, String reason, String message) {
        Status status = new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message)
                .build();
        status.setApiVersion("v1");
        status.setKind("Status");
        return json(code, JSON.asJson(status));
    }
}
