package dev.mizzen.pilot.security.authz;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HttpUri;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.AuthorizationRequest;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.AuthorizationResponse;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.BufferSettings;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.HttpService;
import io.envoyproxy.envoy.type.matcher.v3.ListStringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import io.envoyproxy.envoy.type.v3.StatusCode;

import java.util.List;

/**
 * The ext_authz filter configs of a CUSTOM provider: Istio's {@code extauthz.go}
 * ({@code pilot/pkg/security/authz/builder}). The filter only runs for requests that matched a CUSTOM rule:
 * the RBAC filter before it evaluates those rules as shadow rules and writes the matched policy name, which
 * starts with {@code istio-ext-authz}, to its dynamic metadata. Pure.
 */
final class ExtAuthzConfigs {
    static final String HTTP_RBAC = "envoy.filters.http.rbac";
    static final String NETWORK_RBAC = "envoy.filters.network.rbac";
    static final String SHADOW_EFFECTIVE_POLICY_ID = "shadow_effective_policy_id";
    /** Istio's placeholder: the real timeout is the cluster's (DestinationRule), the URI field is required. */
    private static final Duration HTTP_DEFAULT_TIMEOUT = Duration.newBuilder().setSeconds(600).build();

    private ExtAuthzConfigs() {
    }

    static ExtAuthz http(ExtAuthzProvider p) {
        ExtAuthz.Builder out = ExtAuthz.newBuilder()
                .setTransportApiVersion(ApiVersion.V3)
                .setFailureModeAllow(p.failureMode() == ExtAuthzProvider.FailureMode.FAIL_OPEN)
                .setFilterEnabledMetadata(filterEnabled(HTTP_RBAC));
        status(p).ifPresent(out::setStatusOnError);
        if (p.includeRequestBody() != null) {
            out.setWithRequestBody(BufferSettings.newBuilder()
                    .setMaxRequestBytes(p.includeRequestBody().maxRequestBytes())
                    .setAllowPartialMessage(p.includeRequestBody().partialMessage()
                            == ExtAuthzProvider.RequestBody.PartialMessage.ALLOW)
                    .setPackAsBytes(p.includeRequestBody().encoding() == ExtAuthzProvider.RequestBody.BodyEncoding.BYTES));
        }
        if (p.kind() == ExtAuthzProvider.Kind.GRPC) {
            return out.setGrpcService(grpcService(p)).build();
        }
        HttpService.Builder service = HttpService.newBuilder()
                .setPathPrefix(p.pathPrefix())
                .setServerUri(HttpUri.newBuilder().setUri("http://" + p.service()).setCluster(p.cluster())
                        .setTimeout(p.timeout() == null ? HTTP_DEFAULT_TIMEOUT : duration(p.timeout())));
        if (!p.includeRequestHeadersInCheck().isEmpty() || !p.includeAdditionalHeadersInCheck().isEmpty()) {
            AuthorizationRequest.Builder request = AuthorizationRequest.newBuilder();
            if (!p.includeRequestHeadersInCheck().isEmpty()) {
                request.setAllowedHeaders(headers(p.includeRequestHeadersInCheck()));
            }
            p.includeAdditionalHeadersInCheck().forEach((k, v) -> request.addHeadersToAdd(
                    HeaderValue.newBuilder().setKey(k).setValue(v)));
            service.setAuthorizationRequest(request);
        }
        if (!p.headersToUpstreamOnAllow().isEmpty() || !p.headersToDownstreamOnDeny().isEmpty()) {
            AuthorizationResponse.Builder response = AuthorizationResponse.newBuilder();
            if (!p.headersToUpstreamOnAllow().isEmpty()) {
                response.setAllowedUpstreamHeaders(headers(p.headersToUpstreamOnAllow()));
            }
            if (!p.headersToDownstreamOnDeny().isEmpty()) {
                response.setAllowedClientHeaders(headers(p.headersToDownstreamOnDeny()));
            }
            service.setAuthorizationResponse(response);
        }
        return out.setHttpService(service).build();
    }

    static io.envoyproxy.envoy.extensions.filters.network.ext_authz.v3.ExtAuthz tcp(ExtAuthzProvider p) {
        return io.envoyproxy.envoy.extensions.filters.network.ext_authz.v3.ExtAuthz.newBuilder()
                .setStatPrefix("tcp.")
                .setFailureModeAllow(p.failureMode() == ExtAuthzProvider.FailureMode.FAIL_OPEN)
                .setTransportApiVersion(ApiVersion.V3)
                .setGrpcService(grpcService(p))
                .setFilterEnabledMetadata(filterEnabled(NETWORK_RBAC))
                .build();
    }

    /**
     * The cluster name has {@code |}, which gRPC rejects in an authority: Istio replaces it with {@code _.}.
     */
    private static GrpcService grpcService(ExtAuthzProvider p) {
        GrpcService.Builder out = GrpcService.newBuilder().setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder()
                .setClusterName(p.cluster()).setAuthority(p.cluster().replace("|", "_.")));
        if (p.timeout() != null) {
            out.setTimeout(duration(p.timeout()));
        }
        return out.build();
    }

    /** The RBAC filter's shadow result names a CUSTOM policy: its metadata key carries the shadow stat prefix. */
    static MetadataMatcher filterEnabled(String rbacFilter) {
        return StringMatchers.metadata(rbacFilter,
                List.of(RbacRules.EXT_AUTHZ_SHADOW_PREFIX + SHADOW_EFFECTIVE_POLICY_ID),
                StringMatchers.stringValue(StringMatchers.prefix(RbacRules.EXT_AUTHZ_PREFIX)));
    }

    /** Istio's header lists: {@code x-*} a prefix, {@code *-x} a suffix, else exact; all ignore case. */
    private static ListStringMatcher headers(List<String> names) {
        ListStringMatcher.Builder out = ListStringMatcher.newBuilder();
        for (String name : names) {
            StringMatcher.Builder m = StringMatcher.newBuilder().setIgnoreCase(true);
            if (name.endsWith("*") && name.length() > 1) {
                m.setPrefix(name.substring(0, name.length() - 1));
            } else if (name.startsWith("*") && name.length() > 1) {
                m.setSuffix(name.substring(1));
            } else {
                m.setExact(name);
            }
            out.addPatterns(m);
        }
        return out.build();
    }

    private static java.util.Optional<HttpStatus> status(ExtAuthzProvider p) {
        if (p.statusOnError().isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(HttpStatus.newBuilder()
                .setCode(StatusCode.forNumber(Integer.parseInt(p.statusOnError()))).build());
    }

    private static Duration duration(java.time.Duration d) {
        return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }
}
