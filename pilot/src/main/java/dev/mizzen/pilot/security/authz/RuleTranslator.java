package dev.mizzen.pilot.security.authz;

import dev.mizzen.api.security.Condition;
import dev.mizzen.api.security.Operation;
import dev.mizzen.api.security.Rule;
import dev.mizzen.api.security.RuleFrom;
import dev.mizzen.api.security.RuleTo;
import dev.mizzen.api.security.Source;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;

import java.util.ArrayList;
import java.util.List;

/**
 * One AuthorizationPolicy rule to one Envoy RBAC {@link Policy}: Istio's {@code model.New} and
 * {@code Model.Generate} ({@code pilot/pkg/security/authz/model/model.go}).
 * <ul>
 * <li>Every {@code to} is one permission, every {@code from} one principal (none: one that matches any);
 * each is the AND of its fields, a field the OR of its values, {@code not*} values a NOT of their OR.</li>
 * <li>{@code when} conditions are appended to every permission (destination and connection keys) or
 * principal (source and request keys).</li>
 * <li>Field order as Istio writes it: hosts, methods, paths, ports, then conditions; principals,
 * requestPrincipals, serviceAccounts, namespaces, remoteIpBlocks, ipBlocks, then conditions.</li>
 * <li>A value the target cannot evaluate fails the whole rule for ALLOW (it must not allow more) and is
 * dropped for DENY and AUDIT (they may only deny more).</li>
 * </ul>
 * Pure.
 */
final class RuleTranslator {
    private record Entry(Attribute attribute, String key, List<String> values, List<String> notValues) {
    }

    /** What the rule's generation ran into; {@code skippedForTarget} explains a dropped value or rule. */
    record Result(Policy policy, String skippedForTarget) {
    }

    private RuleTranslator() {
    }

    /**
     * The policy of a rule, or a result without policy when an ALLOW rule had to be dropped. Throws
     * {@link Unsupported} for a rule Istio rejects outright (an unknown {@code when} key).
     */
    static Result translate(Rule rule, String policyNamespace, AuthzAction action, RuleTarget target,
                            TrustDomainBundle bundle) throws Unsupported {
        List<Entry> basePermission = new ArrayList<>();
        List<Entry> basePrincipal = new ArrayList<>();
        for (Condition when : rule.when()) {
            Attribute attribute = Attribute.ofConditionKey(when.key());
            if (attribute == null) {
                throw Unsupported.invalid("unknown attribute " + when.key());
            }
            appendLast(attribute.side == Attribute.Side.PERMISSION ? basePermission : basePrincipal,
                    attribute, when.key(), when.values(), when.notValues());
        }
        List<List<Entry>> principals = new ArrayList<>();
        for (RuleFrom from : rule.from()) {
            List<Entry> merged = new ArrayList<>(basePrincipal);
            Source s = from.source();
            if (s != null) {
                insertFront(merged, Attribute.SOURCE_IP, s.ipBlocks(), s.notIpBlocks());
                insertFront(merged, Attribute.REMOTE_IP, s.remoteIpBlocks(), s.notRemoteIpBlocks());
                insertFront(merged, Attribute.SOURCE_NAMESPACE, s.namespaces(), s.notNamespaces());
                insertFront(merged, Attribute.SOURCE_TRUST_DOMAIN, s.trustDomains(), s.notTrustDomains());
                insertFront(merged, Attribute.SOURCE_SERVICE_ACCOUNT, s.serviceAccounts(), s.notServiceAccounts());
                insertFront(merged, Attribute.REQUEST_PRINCIPAL, s.requestPrincipals(), s.notRequestPrincipals());
                insertFront(merged, Attribute.SOURCE_PRINCIPAL, s.principals(), s.notPrincipals());
            }
            principals.add(merged);
        }
        if (rule.from().isEmpty()) {
            principals.add(basePrincipal);
        }
        List<List<Entry>> permissions = new ArrayList<>();
        for (RuleTo to : rule.to()) {
            List<Entry> merged = new ArrayList<>(basePermission);
            Operation o = to.operation();
            if (o != null) {
                insertFront(merged, Attribute.DESTINATION_PORT, o.ports(), o.notPorts());
                insertFront(merged, Attribute.PATH, o.paths(), o.notPaths());
                insertFront(merged, Attribute.METHOD, o.methods(), o.notMethods());
                insertFront(merged, Attribute.HOST, o.hosts(), o.notHosts());
            }
            permissions.add(merged);
        }
        if (rule.to().isEmpty()) {
            permissions.add(basePermission);
        }
        // principals, from sources or conditions, get the trust domain aliases (Istio's MigrateTrustDomain)
        principals.replaceAll(list -> list.stream().map(e -> e.attribute == Attribute.SOURCE_PRINCIPAL
                ? new Entry(e.attribute, e.key, bundle.replaceTrustDomainAliases(e.values),
                bundle.replaceTrustDomainAliases(e.notValues)) : e).toList());

        Generation g = new Generation(policyNamespace, action, target);
        Policy.Builder policy = Policy.newBuilder();
        try {
            for (List<Entry> entries : permissions) {
                policy.addPermissions(g.permission(entries));
            }
            for (List<Entry> entries : principals) {
                policy.addPrincipals(g.principal(entries));
            }
        } catch (Unsupported e) {
            // only an ALLOW rule gets here: it is dropped whole
            return new Result(null, e.getMessage());
        }
        return new Result(policy.build(), g.skipped);
    }

    private static void insertFront(List<Entry> list, Attribute attribute, List<String> values, List<String> notValues) {
        if (!values.isEmpty() || !notValues.isEmpty()) {
            list.add(0, new Entry(attribute, attribute.key, values, notValues));
        }
    }

    private static void appendLast(List<Entry> list, Attribute attribute, String key, List<String> values,
                                   List<String> notValues) {
        if (!values.isEmpty() || !notValues.isEmpty()) {
            list.add(new Entry(attribute, key, values, notValues));
        }
    }

    /** One rule's generation: remembers what was skipped because of the target. */
    private static final class Generation {
        private final String policyNamespace;
        private final AuthzAction action;
        private final RuleTarget target;
        private String skipped;

        Generation(String policyNamespace, AuthzAction action, RuleTarget target) {
            this.policyNamespace = policyNamespace;
            this.action = action;
            this.target = target;
        }

        Permission permission(List<Entry> entries) throws Unsupported {
            List<Permission> and = new ArrayList<>();
            for (Entry e : entries) {
                if (e.attribute.extended()) {
                    if (!e.values.isEmpty()) {
                        Permission p = check(() -> Matchers.extendedPermission(e.attribute, e.key, e.values, target));
                        if (p != null) {
                            and.add(p);
                        }
                    }
                    if (!e.notValues.isEmpty()) {
                        Permission p = check(() -> Matchers.extendedPermission(e.attribute, e.key, e.notValues, target));
                        if (p != null) {
                            and.add(Permission.newBuilder().setNotRule(p).build());
                        }
                    }
                    continue;
                }
                List<Permission> or = new ArrayList<>();
                for (String v : e.values) {
                    Permission p = check(() -> Matchers.permission(e.attribute, e.key, v, target));
                    if (p != null) {
                        or.add(p);
                    }
                }
                if (!or.isEmpty()) {
                    and.add(orPermission(or));
                }
                List<Permission> not = new ArrayList<>();
                for (String v : e.notValues) {
                    Permission p = check(() -> Matchers.permission(e.attribute, e.key, v, target));
                    if (p != null) {
                        not.add(p);
                    }
                }
                if (!not.isEmpty()) {
                    and.add(Permission.newBuilder().setNotRule(orPermission(not)).build());
                }
            }
            if (and.isEmpty()) {
                and.add(Permission.newBuilder().setAny(true).build());
            }
            return Permission.newBuilder().setAndRules(Permission.Set.newBuilder().addAllRules(and)).build();
        }

        Principal principal(List<Entry> entries) throws Unsupported {
            List<Principal> and = new ArrayList<>();
            for (Entry e : entries) {
                if (e.attribute.extended()) {
                    if (!e.values.isEmpty()) {
                        Principal p = check(() -> Matchers.extendedPrincipal(e.attribute, e.key, e.values, target));
                        if (p != null) {
                            and.add(p);
                        }
                    }
                    if (!e.notValues.isEmpty()) {
                        Principal p = check(() -> Matchers.extendedPrincipal(e.attribute, e.key, e.notValues, target));
                        if (p != null) {
                            and.add(Principal.newBuilder().setNotId(p).build());
                        }
                    }
                    continue;
                }
                List<Principal> or = new ArrayList<>();
                for (String v : e.values) {
                    Principal p = check(() -> Matchers.principal(e.attribute, e.key, v, policyNamespace, target));
                    if (p != null) {
                        or.add(p);
                    }
                }
                if (!or.isEmpty()) {
                    and.add(Principal.newBuilder().setOrIds(Principal.Set.newBuilder().addAllIds(or)).build());
                }
                List<Principal> not = new ArrayList<>();
                for (String v : e.notValues) {
                    Principal p = check(() -> Matchers.principal(e.attribute, e.key, v, policyNamespace, target));
                    if (p != null) {
                        not.add(p);
                    }
                }
                if (!not.isEmpty()) {
                    and.add(Principal.newBuilder().setNotId(Principal.newBuilder()
                            .setOrIds(Principal.Set.newBuilder().addAllIds(not))).build());
                }
            }
            if (and.isEmpty()) {
                and.add(Principal.newBuilder().setAny(true).build());
            }
            return Principal.newBuilder().setAndIds(Principal.Set.newBuilder().addAllIds(and)).build();
        }

        private static Permission orPermission(List<Permission> or) {
            return Permission.newBuilder().setOrRules(Permission.Set.newBuilder().addAllRules(or)).build();
        }

        private interface Step<T> {
            T run() throws Unsupported;
        }

        /** Istio's checkError: ALLOW fails on any error, DENY and AUDIT drop the value. */
        private <T> T check(Step<T> step) throws Unsupported {
            try {
                return step.run();
            } catch (Unsupported e) {
                if (e.becauseOfTarget() && skipped == null) {
                    skipped = e.getMessage();
                }
                if (action == AuthzAction.ALLOW) {
                    throw e;
                }
                return null;
            }
        }
    }
}
