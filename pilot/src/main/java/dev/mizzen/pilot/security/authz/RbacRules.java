package dev.mizzen.pilot.security.authz;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.security.AuthorizationPolicy;
import dev.mizzen.api.security.Rule;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The RBAC rules of the policies of one action: enforced ones and dry-run ones (shadow rules), as Istio's
 * {@code Builder.build} ({@code pilot/pkg/security/authz/builder/builder.go}) makes them.
 * <ul>
 * <li>Policy names {@code ns[<ns>]-policy[<name>]-rule[<i>]} (with a prefix for CUSTOM); the proxyless
 * gRPC generator uses {@code <ns>-<name>-<i>} as Istio's does.</li>
 * <li>A policy without rules gets one policy that never matches: an ALLOW of it denies everything, a DENY
 * denies nothing.</li>
 * <li>{@code istio.io/dry-run: "true"} puts a policy's rules into the shadow rules.</li>
 * </ul>
 *
 * @param rules  null when every policy was dry-run
 * @param shadow null when no policy was dry-run
 */
record RbacRules(RBAC rules, RBAC shadow) {
    static final String DRY_RUN_ANNOTATION = "istio.io/dry-run";
    static final String EXT_AUTHZ_PREFIX = "istio-ext-authz";
    static final String ALLOW_SHADOW_PREFIX = "istio_dry_run_allow_";
    static final String DENY_SHADOW_PREFIX = "istio_dry_run_deny_";
    static final String EXT_AUTHZ_SHADOW_PREFIX = "istio_ext_authz_";
    static final String BAD_CUSTOM_SUFFIX = "-deny-due-to-bad-CUSTOM-action";

    /** Istio's rbacPolicyMatchNever. */
    static final Policy MATCH_NEVER = Policy.newBuilder()
            .addPermissions(Permission.newBuilder().setNotRule(Permission.newBuilder().setAny(true)))
            .addPrincipals(Principal.newBuilder().setNotId(Principal.newBuilder().setAny(true)))
            .build();

    private static final Set<String> GO_TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");

    enum Naming { ISTIO, EXT_AUTHZ, PROXYLESS }

    static RbacRules build(List<Config<AuthorizationPolicy>> policies, AuthzAction action, RBAC.Action rbacAction,
                           RuleTarget target, TrustDomainBundle bundle, Naming naming, List<String> warnings) {
        RBAC.Builder enforced = RBAC.newBuilder().setAction(rbacAction);
        RBAC.Builder shadow = RBAC.newBuilder().setAction(rbacAction);
        boolean anyEnforced = false;
        boolean anyShadow = false;
        for (Config<AuthorizationPolicy> policy : policies) {
            boolean dryRun = isDryRun(policy, warnings);
            RBAC.Builder into = dryRun ? shadow : enforced;
            anyShadow |= dryRun;
            anyEnforced |= !dryRun;
            String skippedForTarget = null;
            List<Rule> rules = policy.spec().rules();
            for (int i = 0; i < rules.size(); i++) {
                String name = name(policy, i, naming);
                try {
                    RuleTranslator.Result result = RuleTranslator.translate(rules.get(i), policy.namespace(), action,
                            target, bundle);
                    if (result.policy() != null) {
                        into.putPolicies(name, result.policy());
                    }
                    if (result.skippedForTarget() != null && skippedForTarget == null) {
                        skippedForTarget = result.skippedForTarget();
                    }
                } catch (Unsupported e) {
                    warnings.add(policy.key() + ": skipped invalid rule " + name + ": " + e.getMessage());
                }
            }
            if (rules.isEmpty() && naming != Naming.PROXYLESS) {
                into.putPolicies(name(policy, 0, naming), MATCH_NEVER);
            }
            if (skippedForTarget != null) {
                warnings.add(policy.key() + ": " + skippedForTarget + " on " + describe(target) + "; "
                        + (action == AuthzAction.ALLOW ? "the rules using it are ignored, so it allows less"
                        : "only the other conditions of its rules are kept, so it matches more"));
            }
        }
        return new RbacRules(anyEnforced ? enforced.build() : null, anyShadow ? shadow.build() : null);
    }

    static String shadowStatPrefix(RBAC.Action action) {
        return switch (action) {
            case ALLOW -> ALLOW_SHADOW_PREFIX;
            case DENY -> DENY_SHADOW_PREFIX;
            default -> "";
        };
    }

    /** Istio reads the annotation with Go's strconv.ParseBool; a bad value counts as false, with an error. */
    static boolean isDryRun(Config<AuthorizationPolicy> policy, List<String> warnings) {
        String value = policy.meta().annotations().get(DRY_RUN_ANNOTATION);
        if (value == null) {
            return false;
        }
        if (GO_TRUE.contains(value)) {
            return true;
        }
        if (!Set.of("0", "f", "F", "FALSE", "false", "False").contains(value)) {
            warnings.add(policy.key() + ": failed to parse the value of " + DRY_RUN_ANNOTATION + ": " + value);
        }
        return false;
    }

    static String name(Config<AuthorizationPolicy> policy, int rule, Naming naming) {
        return switch (naming) {
            case ISTIO -> "ns[" + policy.namespace() + "]-policy[" + policy.name() + "]-rule[" + rule + "]";
            case EXT_AUTHZ -> EXT_AUTHZ_PREFIX + "-ns[" + policy.namespace() + "]-policy[" + policy.name() + "]-rule["
                    + rule + "]";
            case PROXYLESS -> policy.namespace() + "-" + policy.name() + "-" + rule;
        };
    }

    private static String describe(RuleTarget target) {
        return switch (target) {
            case ENVOY_HTTP -> "an HTTP chain";
            case ENVOY_TCP -> "a TCP filter chain";
            case PROXYLESS_GRPC -> "a proxyless gRPC server".toLowerCase(Locale.ROOT);
        };
    }
}
