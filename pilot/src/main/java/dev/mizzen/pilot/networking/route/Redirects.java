package dev.mizzen.pilot.networking.route;

import com.google.protobuf.ByteString;
import dev.mizzen.api.networking.HttpDirectResponse;
import dev.mizzen.api.networking.HttpRedirect;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;

import java.util.Base64;

/** Istio's redirect and directResponse as Envoy actions. Pure. */
final class Redirects {
    private Redirects() {
    }

    static RedirectAction translate(HttpRedirect redirect) {
        RedirectAction.Builder out = RedirectAction.newBuilder();
        if (redirect.uri() != null) {
            out.setPathRedirect(redirect.uri());
        }
        if (redirect.authority() != null) {
            out.setHostRedirect(redirect.authority());
        }
        if (redirect.port() != null) {
            out.setPortRedirect(redirect.port());
        }
        if (redirect.scheme() != null) {
            out.setSchemeRedirect(redirect.scheme());
        }
        out.setResponseCode(switch (redirect.redirectCode() == null ? 301 : redirect.redirectCode()) {
            case 302 -> RedirectAction.RedirectResponseCode.FOUND;
            case 303 -> RedirectAction.RedirectResponseCode.SEE_OTHER;
            case 307 -> RedirectAction.RedirectResponseCode.TEMPORARY_REDIRECT;
            case 308 -> RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT;
            default -> RedirectAction.RedirectResponseCode.MOVED_PERMANENTLY;
        });
        return out.build();
    }

    static DirectResponseAction directResponse(HttpDirectResponse response) {
        DirectResponseAction.Builder out = DirectResponseAction.newBuilder()
                .setStatus(response.status() == null ? 200 : response.status());
        if (response.body() != null) {
            if (response.body().string() != null) {
                out.setBody(DataSource.newBuilder().setInlineString(response.body().string()));
            } else if (response.body().bytes() != null) {
                out.setBody(DataSource.newBuilder()
                        .setInlineBytes(ByteString.copyFrom(Base64.getDecoder().decode(response.body().bytes()))));
            }
        }
        return out.build();
    }
}
