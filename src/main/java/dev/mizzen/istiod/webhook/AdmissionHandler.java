package dev.mizzen.istiod.webhook;

import dev.mizzen.api.admission.AdmissionController;
import dev.mizzen.api.admission.AdmissionResponse;
import dev.mizzen.istiod.http.RequestBodies;
import dev.mizzen.istiod.http.Responses;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * One webhook path over HTTP: checks the request (POST, JSON, not too large), decodes the AdmissionReview,
 * asks the controller, encodes its answer. Anything it cannot take gets a 4xx with the reason as plain text.
 * The body is read without blocking (see {@link RequestBodies}); the controller runs on the Jetty thread that
 * delivered the last bytes. Stateless.
 */
final class AdmissionHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionHandler.class);
    private static final String JSON = "application/json";
    /** How much of a refused body is still read and dropped, in multiples of the limit, before closing instead. */
    private static final long DISCARD_FACTOR = 4;

    private final String path;
    private final AdmissionController controller;
    private final int maxBodyBytes;
    private final Duration bodyTimeout;

    AdmissionHandler(String path, AdmissionController controller, int maxBodyBytes, Duration bodyTimeout) {
        this.path = path;
        this.controller = controller;
        this.maxBodyBytes = maxBodyBytes;
        this.bodyTimeout = bodyTimeout;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!HttpMethod.POST.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            refuse(request, response, callback, 405, "method " + request.getMethod() + " not allowed, use POST");
            return true;
        }
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (!isJson(contentType)) {
            refuse(request, response, callback, 400, "invalid Content-Type "
                    + (contentType == null ? "(none)" : "\"" + contentType + "\"") + ", want " + JSON);
            return true;
        }
        RequestBodies.read(request, maxBodyBytes, bodyTimeout).whenComplete((body, failure) -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause == null) {
                answer(body, request, response, callback);
            } else if (cause instanceof RequestBodies.TooLargeException) {
                refuse(request, response, callback, 400, cause.getMessage());
            } else if (cause instanceof TimeoutException) {
                Responses.text(response, callback, 408, cause.getMessage()); // no waiting for the rest of it
            } else {
                callback.failed(cause); // the connection broke: nobody is left to answer
            }
        });
        return true;
    }

    private void answer(byte[] body, Request request, Response response, Callback callback) {
        if (body.length == 0) {
            refuse(request, response, callback, 400, "no body found");
            return;
        }
        AdmissionReviewCodec.Review review;
        try {
            review = AdmissionReviewCodec.decode(body);
        } catch (AdmissionReviewCodec.MalformedReviewException e) {
            refuse(request, response, callback, 400, "could not decode the AdmissionReview: " + e.getMessage());
            return;
        }
        AdmissionResponse answer = admit(review);
        Responses.send(response, callback, 200, JSON,
                AdmissionReviewCodec.encode(review.apiVersion(), review.request().uid(), answer));
    }

    private void refuse(Request request, Response response, Callback callback, int status, String reason) {
        refuse(request, response, callback, status, reason, maxBodyBytes, bodyTimeout);
    }

    /**
     * A 4xx with the reason; what is left of the body is then read and dropped, up to a few times the limit,
     * before the exchange completes (see {@link RequestBodies#discardingRest}).
     */
    private static void refuse(Request request, Response response, Callback callback, int status, String reason,
                               int maxBodyBytes, Duration bodyTimeout) {
        Callback afterBody = RequestBodies.discardingRest(request, DISCARD_FACTOR * maxBodyBytes, bodyTimeout, callback);
        Responses.text(response, afterBody, status, reason);
    }

    /** What answers the paths no webhook serves, whatever the method: 404 with the path. */
    static Handler notFound(int maxBodyBytes, Duration bodyTimeout) {
        return new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                refuse(request, response, callback, 404, "no webhook at " + request.getHttpURI().getPath(),
                        maxBodyBytes, bodyTimeout);
                return true;
            }
        };
    }

    private AdmissionResponse admit(AdmissionReviewCodec.Review review) {
        try {
            return controller.admit(review.request());
        } catch (RuntimeException e) {
            // controllers deny bad objects themselves; this is a bug, so the apiserver's failurePolicy decides
            LOG.error("{}: the admission controller failed on {} {}/{}", path, review.request().kind(),
                    review.request().namespace(), review.request().name(), e);
            return AdmissionResponse.deny(500, "internal error in " + path + ": " + e, List.of());
        }
    }

    /** {@code application/json}, parameters such as charset allowed. */
    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.toLowerCase(Locale.ROOT).equals(JSON);
    }
}
