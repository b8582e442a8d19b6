package dev.mizzen.istiod.webhook;

import dev.mizzen.api.admission.AdmissionRequest;
import dev.mizzen.api.admission.AdmissionResponse;
import dev.mizzen.api.config.SpecReader;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AdmissionReview JSON, as the kube-apiserver sends it ({@code admission.k8s.io/v1} or {@code v1beta1}, one
 * schema) and expects it back: the answer carries the request's apiVersion and uid, {@code allowed}, a
 * {@code status} with code and message when denied, {@code warnings}, and a base64 JSONPatch for mutations.
 * Pure functions; the mapper is immutable and thread-safe.
 */
final class AdmissionReviewCodec {
    static final Set<String> API_VERSIONS = Set.of("admission.k8s.io/v1", "admission.k8s.io/v1beta1");
    private static final String KIND = "AdmissionReview";
    private static final JsonMapper MAPPER = SpecReader.mapper();

    /** A request body that is not an AdmissionReview we can answer. */
    static final class MalformedReviewException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedReviewException(String message) {
            super(message);
        }
    }

    /** The decoded review: which apiVersion to answer with, and the request. */
    record Review(String apiVersion, AdmissionRequest request) {
    }

    private AdmissionReviewCodec() {
    }

    static Review decode(byte[] body) throws MalformedReviewException {
        JsonNode review;
        try {
            review = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new MalformedReviewException("malformed JSON: " + e.getOriginalMessage());
        }
        if (review == null || !review.isObject()) {
            throw new MalformedReviewException("the body is not a JSON object");
        }
        String apiVersion = review.path("apiVersion").asString("");
        if (!API_VERSIONS.contains(apiVersion)) {
            throw new MalformedReviewException("unsupported apiVersion \"" + apiVersion + "\", want one of "
                    + String.join(", ", API_VERSIONS.stream().sorted().toList()));
        }
        if (!KIND.equals(review.path("kind").asString(""))) {
            throw new MalformedReviewException("kind must be AdmissionReview");
        }
        JsonNode request = review.get("request");
        if (request == null || !request.isObject()) {
            throw new MalformedReviewException("the AdmissionReview has no request");
        }
        String uid = request.path("uid").asString("");
        if (uid.isEmpty()) {
            throw new MalformedReviewException("the request has no uid");
        }
        JsonNode kind = request.path("kind");
        JsonNode user = request.path("userInfo");
        return new Review(apiVersion, new AdmissionRequest(uid, kind.path("group").asString(""),
                kind.path("version").asString(""), kind.path("kind").asString(""), request.path("namespace").asString(""),
                request.path("name").asString(""), request.path("operation").asString(""), object(request, "object"),
                object(request, "oldObject"), request.path("dryRun").asBoolean(false), user.path("username").asString(""),
                strings(user.path("groups"))));
    }

    static byte[] encode(String apiVersion, String uid, AdmissionResponse answer) {
        ObjectNode review = MAPPER.createObjectNode();
        review.put("apiVersion", apiVersion);
        review.put("kind", KIND);
        ObjectNode response = review.putObject("response");
        response.put("uid", uid);
        response.put("allowed", answer.allowed());
        if (!answer.allowed()) {
            ObjectNode status = response.putObject("status");
            status.put("code", answer.code());
            status.put("message", answer.message());
        }
        if (!answer.warnings().isEmpty()) {
            ArrayNode warnings = response.putArray("warnings");
            answer.warnings().forEach(warnings::add);
        }
        if (answer.jsonPatch() != null) {
            response.put("patchType", "JSONPatch");
            response.put("patch", Base64.getEncoder().encodeToString(answer.jsonPatch().getBytes(StandardCharsets.UTF_8)));
        }
        return MAPPER.writeValueAsBytes(review);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(JsonNode request, String field) throws MalformedReviewException {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new MalformedReviewException("request." + field + " must be a JSON object");
        }
        return MAPPER.convertValue(node, Map.class);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : array) {
            out.add(item.asString(""));
        }
        return out;
    }
}
