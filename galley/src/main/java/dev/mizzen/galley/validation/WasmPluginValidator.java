package dev.mizzen.galley.validation;

import dev.mizzen.api.extensions.WasmPlugin;
import dev.mizzen.galley.schema.GoUrl;

import java.util.HashSet;
import java.util.Set;

/**
 * WasmPlugin (Istio's ValidateWasmPlugin): one way to pick workloads; a URL of a scheme the agent can fetch
 * ({@code oci}, {@code http(s)}, {@code file}, or none: an OCI reference); a SHA-256 in lower-case hex; short
 * enough names; VM environment variables named once each, with values only when inline; match ports in range.
 */
final class WasmPluginValidator implements KindValidator<WasmPlugin> {
    private static final Set<String> SCHEMES = Set.of("", "file", "http", "https", "oci");

    @Override
    public void validate(WasmPlugin plugin, String namespace, Findings out) {
        FieldPath spec = FieldPath.SPEC;
        PolicyTargets.check(out, plugin.selector(), plugin.targetRef(), plugin.targetRefs());
        out.errorIf(spec.field("url"), urlError(plugin.url()));
        String sha = plugin.sha256();
        if (sha != null && !sha.isEmpty()) {
            if (sha.length() != 64) {
                out.error(spec.field("sha256"), "sha256 field must be 64 characters long");
            } else if (!sha.matches("[a-f0-9]{64}")) {
                out.error(spec.field("sha256"), "sha256 field must match [a-f0-9]{64} pattern");
            }
        }
        if (plugin.imagePullSecret() != null && plugin.imagePullSecret().length() > 253) {
            out.error(spec.field("imagePullSecret"), "imagePullSecret field must be less than 253 characters long");
        }
        if (plugin.pluginName() != null && plugin.pluginName().length() > 256) {
            out.error(spec.field("pluginName"), "pluginName field must be less than 255 characters long");
        }
        if (plugin.vmConfig() != null) {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < plugin.vmConfig().env().size(); i++) {
                WasmPlugin.EnvVar env = plugin.vmConfig().env().get(i);
                FieldPath at = spec.field("vmConfig").field("env").index(i);
                if (env.name() == null || env.name().isEmpty()) {
                    out.error(at.field("name"), "spec.vmConfig.env invalid");
                } else if (env.name().length() > 256) {
                    out.error(at.field("name"), "env.name field must be less than 255 characters long");
                } else if (!names.add(env.name())) {
                    out.error(at.field("name"), "duplicate env");
                } else if (env.valueFrom() != null && !env.valueFrom().equals("INLINE")
                        && env.value() != null && !env.value().isEmpty()) {
                    out.error(at.field("value"), "value may only be set when valueFrom is INLINE");
                }
            }
        }
        for (int i = 0; i < plugin.match().size(); i++) {
            WasmPlugin.TrafficSelector selector = plugin.match().get(i);
            for (int j = 0; j < selector.ports().size(); j++) {
                Integer port = selector.ports().get(j).number();
                if (port == null || port <= 0 || port > 65535) {
                    out.error(spec.field("match").index(i).field("ports").index(j),
                            "spec.Match[" + i + "].Ports[" + j + "] is out of range: " + (port == null ? 0 : port));
                }
            }
        }
    }

    /** Istio's strictParseURL: a request URI, or one once {@code http://} is put in front (an OCI reference). */
    static String urlError(String url) {
        if (url == null || url.isEmpty()) {
            return "url field needs to be set";
        }
        GoUrl parsed;
        try {
            parsed = GoUrl.parseRequestUri(url);
        } catch (GoUrl.InvalidUrl first) {
            try {
                parsed = GoUrl.parseRequestUri("http://" + url);
            } catch (GoUrl.InvalidUrl second) {
                return "failed to parse url: " + first.getMessage();
            }
        }
        return SCHEMES.contains(parsed.scheme()) ? null : "url contains unsupported scheme: " + parsed.scheme();
    }
}
