package dev.mizzen.galley.schema;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;

import java.util.List;

/**
 * The functions of Kubernetes' CEL libraries (k8s.io/apiserver/pkg/cel/library) that the CRDs we ship call,
 * with the apiserver's semantics. The rules call {@code url()}, {@code isURL()} and {@code getScheme()}
 * (WasmPlugin, TrafficExtension, RequestAuthentication and their JWT rules); {@code getHost()},
 * {@code getHostname()} and {@code getPort()} come with the same type at no cost. Everything else the rules
 * use is standard CEL ({@code has}, {@code size}, {@code all}, {@code exists}, {@code exists_one},
 * {@code matches}, {@code startsWith}, {@code endsWith}, {@code contains}, {@code int}, {@code duration}, ...)
 * or cel-java's strings extension ({@code substring}), which the apiserver also enables.
 *
 * <p>Not ported, since no shipped rule calls them: lists ({@code isSorted}, {@code sum}, ...), regex
 * {@code find}, {@code ip}/{@code cidr}, {@code quantity}, {@code semver}, {@code format}, authz.
 */
final class KubernetesCelLibrary {
    /** The apiserver's {@code kubernetes.URL} type. */
    static final OpaqueType URL = OpaqueType.create("kubernetes.URL");

    private KubernetesCelLibrary() {
    }

    static List<CelFunctionDecl> declarations() {
        return List.of(
                CelFunctionDecl.newFunctionDeclaration("url",
                        CelOverloadDecl.newGlobalOverload("string_to_url", URL, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("isURL",
                        CelOverloadDecl.newGlobalOverload("is_url_string", SimpleType.BOOL, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("getScheme",
                        CelOverloadDecl.newMemberOverload("url_get_scheme", SimpleType.STRING, URL)),
                CelFunctionDecl.newFunctionDeclaration("getHost",
                        CelOverloadDecl.newMemberOverload("url_get_host", SimpleType.STRING, URL)),
                CelFunctionDecl.newFunctionDeclaration("getHostname",
                        CelOverloadDecl.newMemberOverload("url_get_hostname", SimpleType.STRING, URL)),
                CelFunctionDecl.newFunctionDeclaration("getPort",
                        CelOverloadDecl.newMemberOverload("url_get_port", SimpleType.STRING, URL)));
    }

    static List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from("string_to_url", String.class, KubernetesCelLibrary::url),
                CelFunctionBinding.from("is_url_string", String.class, KubernetesCelLibrary::isUrl),
                CelFunctionBinding.from("url_get_scheme", GoUrl.class, GoUrl::scheme),
                CelFunctionBinding.from("url_get_host", GoUrl.class, GoUrl::host),
                CelFunctionBinding.from("url_get_hostname", GoUrl.class, GoUrl::hostname),
                CelFunctionBinding.from("url_get_port", GoUrl.class, GoUrl::port));
    }

    private static Object url(String text) throws CelEvaluationException {
        try {
            return GoUrl.parseRequestUri(text);
        } catch (GoUrl.InvalidUrl e) {
            throw new CelEvaluationException("URL parse error during conversion from string: " + e.getMessage());
        }
    }

    private static Object isUrl(String text) {
        try {
            GoUrl.parseRequestUri(text);
            return true;
        } catch (GoUrl.InvalidUrl e) {
            return false;
        }
    }
}
