package dev.mizzen.istiod.local.identity;

import dev.mizzen.istiod.http.Responses;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * {@code POST /debug/token?namespace=NS&serviceAccount=SA[&audience=A...][&seconds=N]} on a local istiod's
 * monitoring port: a service-account token for an existing service account, as {@code kubectl create token} would
 * get it (audience {@code istio-ca} unless named, one hour unless said). What {@code istiod token --istiod-address}
 * calls. Answered to loopback callers only (a token is a credential); POST without a body, so no cache, crawler or
 * link-follower ever mints one.
 */
public final class TokenPage extends Handler.Abstract {
    public static final String PATH = "/debug/token";
    public static final List<String> DEFAULT_AUDIENCES = List.of("istio-ca");
    public static final Duration DEFAULT_DURATION = Duration.ofHours(1);

    /** Issues a token for an existing service account; NoSuchElementException when it does not exist. */
    @FunctionalInterface
    public interface Issuer {
        ServiceAccountTokens.Issued issue(String namespace, String serviceAccount, List<String> audiences, Duration duration);
    }

    private final Issuer issuer;

    public TokenPage(Issuer issuer) {
        this.issuer = issuer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!isLoopback(Request.getRemoteAddr(request))) {
            Responses.text(response, callback, 403, "tokens are issued to loopback callers only");
            return true;
        }
        if (!HttpMethod.POST.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            Responses.text(response, callback, 405, "use POST");
            return true;
        }
        if (request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > 0
                || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
            Responses.text(response, callback, 413, "the token request takes no body, only query parameters");
            return true;
        }
        Fields query = Request.extractQueryParameters(request);
        String namespace = query.getValue("namespace");
        String serviceAccount = query.getValue("serviceAccount");
        if (namespace == null || serviceAccount == null) {
            Responses.text(response, callback, 400, "namespace and serviceAccount are required");
            return true;
        }
        List<String> audiences = query.getValues("audience");
        Duration duration = DEFAULT_DURATION;
        try {
            if (query.getValue("seconds") != null) {
                duration = Duration.ofSeconds(Long.parseLong(query.getValue("seconds")));
            }
            ServiceAccountTokens.Issued issued = issuer.issue(namespace, serviceAccount,
                    audiences == null || audiences.isEmpty() ? DEFAULT_AUDIENCES : audiences, duration);
            Responses.send(response, callback, 200, "text/plain; charset=utf-8",
                    (issued.token() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchElementException e) {
            Responses.text(response, callback, 404, "serviceaccount " + clip(namespace) + "/" + clip(serviceAccount)
                    + " not found");
        } catch (IllegalArgumentException e) {
            Responses.text(response, callback, 400, clip(e.getMessage()));
        }
        return true;
    }

    private static String clip(String text) {
        String t = text == null ? "" : text.replaceAll("[^\\x20-\\x7e]", "?");
        return t.length() > 100 ? t.substring(0, 100) + "..." : t;
    }

    private static boolean isLoopback(String address) {
        try {
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
