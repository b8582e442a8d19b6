package dev.mizzen.galley.validation;

import dev.mizzen.api.security.AuthorizationPolicy;
import dev.mizzen.api.security.Condition;
import dev.mizzen.api.security.Operation;
import dev.mizzen.api.security.Rule;
import dev.mizzen.api.security.RuleFrom;
import dev.mizzen.api.security.RuleTo;
import dev.mizzen.api.security.Source;

import java.util.List;
import java.util.Set;

/**
 * AuthorizationPolicy: its target; the action (ALLOW by default; DENY and CUSTOM need rules, CUSTOM a
 * provider and no identity-based conditions); each rule's sources, operations and conditions (no empty
 * values, valid IPs, ports, path templates and attribute keys); a warning where a DENY rule of HTTP-only
 * attributes would also deny all TCP traffic.
 */
final class AuthorizationPolicyValidator implements KindValidator<AuthorizationPolicy> {
    private static final Set<String> ACTIONS = Set.of("ALLOW", "DENY", "AUDIT", "CUSTOM");

    @Override
    public void validate(AuthorizationPolicy policy, String namespace, Findings out) {
        FieldPath spec = FieldPath.SPEC;
        PolicyTargets.check(out, policy.selector(), policy.targetRef(), policy.targetRefs());
        String action = policy.action() == null ? "ALLOW" : policy.action();
        Enums.check(out, spec.field("action"), policy.action(), ACTIONS);
        if (action.equals("CUSTOM")) {
            custom(out, policy);
        } else if (policy.provider() != null) {
            out.error(spec.field("provider"), "`provider` must not be with non CUSTOM action, found " + action);
        }
        if (action.equals("DENY") && policy.rules().isEmpty()) {
            out.error(spec.field("rules"), "DENY action without `rules` is meaningless as it will never be triggered, "
                    + "add an empty rule `{}` if you want it be triggered for every request");
        }
        for (int i = 0; i < policy.rules().size(); i++) {
            rule(out, spec.field("rules").index(i), policy.rules().get(i), action);
        }
    }

    private static void custom(Findings out, AuthorizationPolicy policy) {
        FieldPath spec = FieldPath.SPEC;
        if (policy.rules().isEmpty()) {
            out.error(spec.field("rules"), "CUSTOM action without `rules` is meaningless as it will never be triggered, "
                    + "add an empty rule `{}` if you want it be triggered for every request");
        } else if (policy.provider() == null || policy.provider().name() == null || policy.provider().name().isEmpty()) {
            out.error(spec.field("provider").field("name"), "`provider.name` must not be empty");
        }
        // the external authorizer sees the request, not Istio's view of the peer identity
        for (int i = 0; i < policy.rules().size(); i++) {
            FieldPath p = spec.field("rules").index(i);
            Rule rule = policy.rules().get(i);
            for (int j = 0; j < rule.from().size(); j++) {
                Source src = rule.from().get(j).source();
                if (src == null) {
                    continue;
                }
                FieldPath sp = p.field("from").index(j).field("source");
                unsupported(out, sp.field("namespaces"), src.namespaces(), "From.Namespaces");
                unsupported(out, sp.field("notNamespaces"), src.notNamespaces(), "From.NotNamespaces");
                unsupported(out, sp.field("serviceAccounts"), src.serviceAccounts(), "From.ServiceAccounts");
                unsupported(out, sp.field("notServiceAccounts"), src.notServiceAccounts(), "From.NotServiceAccounts");
                unsupported(out, sp.field("principals"), src.principals(), "From.Principals");
                unsupported(out, sp.field("notPrincipals"), src.notPrincipals(), "From.NotPrincipals");
                unsupported(out, sp.field("requestPrincipals"), src.requestPrincipals(), "From.RequestPrincipals");
                unsupported(out, sp.field("notRequestPrincipals"), src.notRequestPrincipals(), "From.NotRequestPrincipals");
            }
            for (int j = 0; j < rule.when().size(); j++) {
                String key = rule.when().get(j).key() == null ? "" : rule.when().get(j).key();
                if (key.equals("source.namespace") || key.equals("source.serviceAccount")
                        || key.equals("source.principal") || key.startsWith("request.auth.")) {
                    out.error(p.field("when").index(j).field("key"), key + " is currently not supported with CUSTOM action");
                }
            }
        }
    }

    private static void unsupported(Findings out, FieldPath at, List<String> values, String name) {
        if (!values.isEmpty()) {
            out.error(at, name + " is currently not supported with CUSTOM action");
        }
    }

    private static void rule(Findings out, FieldPath at, Rule rule, String action) {
        boolean fromExists = false;
        boolean tcpInFrom = false;
        for (int j = 0; j < rule.from().size(); j++) {
            FieldPath p = at.field("from").index(j).field("source");
            RuleFrom from = rule.from().get(j);
            if (from.source() == null) {
                out.error(p, "`from.source` must not be nil");
                continue;
            }
            fromExists = true;
            tcpInFrom |= source(out, p, from.source());
        }
        boolean toExists = false;
        boolean tcpInTo = false;
        for (int j = 0; j < rule.to().size(); j++) {
            FieldPath p = at.field("to").index(j).field("operation");
            RuleTo to = rule.to().get(j);
            if (to.operation() == null) {
                out.error(p, "`to.operation` must not be nil");
                continue;
            }
            toExists = true;
            tcpInTo |= operation(out, p, to.operation());
        }
        for (int j = 0; j < rule.when().size(); j++) {
            condition(out, at.field("when").index(j), rule.when().get(j));
        }
        if (action.equals("DENY") && ((fromExists && !toExists && !tcpInFrom) || (toExists && !tcpInTo))) {
            out.warning(at, "configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to "
                    + "the use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port");
        }
    }

    /** Checks a source; returns whether it has attributes TCP traffic carries (peer identity, IPs). */
    private static boolean source(Findings out, FieldPath at, Source s) {
        boolean identities = !(s.principals().isEmpty() && s.notPrincipals().isEmpty() && s.namespaces().isEmpty()
                && s.notNamespaces().isEmpty());
        boolean accounts = !(s.serviceAccounts().isEmpty() && s.notServiceAccounts().isEmpty());
        if (identities && accounts) {
            out.error(at, "cannot set serviceAccounts with namespaces or principals");
        }
        boolean ips = !(s.ipBlocks().isEmpty() && s.notIpBlocks().isEmpty() && s.remoteIpBlocks().isEmpty()
                && s.notRemoteIpBlocks().isEmpty());
        boolean requestPrincipals = !(s.requestPrincipals().isEmpty() && s.notRequestPrincipals().isEmpty());
        if (!identities && !accounts && !ips && !requestPrincipals) {
            out.error(at, "`from.source` must not be empty");
        }
        AuthorizationAttributes.checkIps(out, at.field("ipBlocks"), s.ipBlocks());
        AuthorizationAttributes.checkIps(out, at.field("notIpBlocks"), s.notIpBlocks());
        AuthorizationAttributes.checkIps(out, at.field("remoteIpBlocks"), s.remoteIpBlocks());
        AuthorizationAttributes.checkIps(out, at.field("notRemoteIpBlocks"), s.notRemoteIpBlocks());
        noEmptyValues(out, at.field("principals"), s.principals());
        noEmptyValues(out, at.field("requestPrincipals"), s.requestPrincipals());
        noEmptyValues(out, at.field("namespaces"), s.namespaces());
        noEmptyValues(out, at.field("notPrincipals"), s.notPrincipals());
        noEmptyValues(out, at.field("notRequestPrincipals"), s.notRequestPrincipals());
        noEmptyValues(out, at.field("notNamespaces"), s.notNamespaces());
        out.errorIf(at.field("serviceAccounts"), AuthorizationAttributes.serviceAccountsError(s.serviceAccounts()));
        out.errorIf(at.field("notServiceAccounts"), AuthorizationAttributes.serviceAccountsError(s.notServiceAccounts()));
        return identities || accounts || ips;
    }

    /** Checks an operation; returns whether it names ports (the one attribute TCP traffic has). */
    private static boolean operation(Findings out, FieldPath at, Operation op) {
        if (op.hosts().isEmpty() && op.notHosts().isEmpty() && op.ports().isEmpty() && op.notPorts().isEmpty()
                && op.methods().isEmpty() && op.notMethods().isEmpty() && op.paths().isEmpty() && op.notPaths().isEmpty()) {
            out.error(at, "`to.operation` must not be empty");
        }
        AuthorizationAttributes.checkPorts(out, at.field("ports"), op.ports());
        AuthorizationAttributes.checkPorts(out, at.field("notPorts"), op.notPorts());
        noEmptyValues(out, at.field("methods"), op.methods());
        noEmptyValues(out, at.field("notMethods"), op.notMethods());
        noEmptyValues(out, at.field("hosts"), op.hosts());
        noEmptyValues(out, at.field("notHosts"), op.notHosts());
        noEmptyValues(out, at.field("paths"), op.paths());
        noEmptyValues(out, at.field("notPaths"), op.notPaths());
        AuthorizationAttributes.checkPathTemplates(out, at.field("paths"), op.paths());
        AuthorizationAttributes.checkPathTemplates(out, at.field("notPaths"), op.notPaths());
        return !op.ports().isEmpty() || !op.notPorts().isEmpty();
    }

    private static void condition(Findings out, FieldPath at, Condition condition) {
        String key = condition.key();
        if (key == null || key.isEmpty()) {
            out.error(at.field("key"), "`key` must not be empty");
            return;
        }
        if (condition.values().isEmpty() && condition.notValues().isEmpty()) {
            out.error(at, "at least one of `values` or `notValues` must be set for key " + key);
            return;
        }
        // the key is judged with each list present; an unknown key is reported once per list, not for an absent one
        String valuesError = condition.values().isEmpty() ? null
                : AuthorizationAttributes.attributeError(key, condition.values());
        if (valuesError != null) {
            out.error(at.field("values"), "invalid `value` for `key` " + key + ": " + valuesError);
        }
        String notValuesError = condition.notValues().isEmpty() ? null
                : AuthorizationAttributes.attributeError(key, condition.notValues());
        if (notValuesError != null) {
            out.error(at.field("notValues"), "invalid `notValue` for `key` " + key + ": " + notValuesError);
        }
    }

    private static void noEmptyValues(Findings out, FieldPath at, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).isEmpty()) {
                out.error(at.index(i), "empty value not allowed");
            }
        }
    }
}
