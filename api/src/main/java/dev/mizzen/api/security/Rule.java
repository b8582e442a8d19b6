package dev.mizzen.api.security;

import dev.mizzen.api.config.Copies;

import java.util.List;

/** Istio {@code Rule}: sources, operations and conditions that all must match. */
public record Rule(List<RuleFrom> from, List<RuleTo> to, List<Condition> when) {
    public Rule {
        from = Copies.list(from);
        to = Copies.list(to);
        when = Copies.list(when);
    }
}
