package dev.mizzen.galley.validation;

import dev.mizzen.api.config.SpecReader;
import dev.mizzen.api.networking.HttpMatchRequest;
import dev.mizzen.api.networking.HttpRoute;
import dev.mizzen.api.networking.VirtualService;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Warnings (never errors) for VirtualService rules that can never match, as Istio gives them: a rule without
 * matches that is not the first such rule, and a match already made, word for word, by an earlier rule.
 * Overlapping prefix matches are not analysed.
 */
final class UnreachableRules {
    private UnreachableRules() {
    }

    static void check(Findings out, VirtualService vs) {
        List<HttpRoute> http = vs.http();
        analyse(out, FieldPath.SPEC.field("http"), http.size(), i -> http.get(i).match().stream()
                .map(UnreachableRules::withoutName).toList(), i -> routeName(http.get(i).name(), i),
                (i, j) -> matchName(http.get(i).match().get(j).name(), j));
        analyse(out, FieldPath.SPEC.field("tcp"), vs.tcp().size(), i -> List.copyOf(vs.tcp().get(i).match()),
                i -> "#" + i, (i, j) -> "#" + j);
        analyse(out, FieldPath.SPEC.field("tls"), vs.tls().size(), i -> List.copyOf(vs.tls().get(i).match()),
                i -> "#" + i, (i, j) -> "#" + j);
    }

    private interface MatchName {
        String of(int rule, int match);
    }

    private static void analyse(Findings out, FieldPath at, int rules, Function<Integer, List<Object>> matchesOf,
                                Function<Integer, String> ruleName, MatchName matchName) {
        Map<String, Integer> seen = new HashMap<>();
        boolean catchAllSeen = false;
        for (int i = 0; i < rules; i++) {
            List<Object> matches = matchesOf.apply(i);
            if (matches.isEmpty()) {
                if (catchAllSeen) {
                    out.warning(at.index(i), "virtualService rule " + ruleName.apply(i)
                            + " not used (only the last rule can have no matches)");
                }
                catchAllSeen = true;
                continue;
            }
            int duplicates = 0;
            for (int j = 0; j < matches.size(); j++) {
                String key = SpecReader.mapper().writeValueAsString(matches.get(j));
                Integer earlier = seen.putIfAbsent(key, i);
                if (earlier != null) {
                    duplicates++;
                    out.warning(at.index(i).field("match").index(j), "virtualService rule " + ruleName.apply(i)
                            + " match " + matchName.of(i, j) + " is not used (duplicate/overlapping match in rule "
                            + ruleName.apply(earlier) + ")");
                }
            }
            if (duplicates == matches.size()) {
                out.warning(at.index(i), "virtualService rule " + ruleName.apply(i) + " not used (all matches used by prior rules)");
            }
        }
    }

    /** Match names are labels for stats, not conditions: two matches differing only in name are the same. */
    private static Object withoutName(HttpMatchRequest m) {
        return new HttpMatchRequest(null, m.uri(), m.scheme(), m.method(), m.authority(), m.headers(), m.port(),
                m.sourceLabels(), m.gateways(), m.queryParams(), m.ignoreUriCase(), m.withoutHeaders(),
                m.sourceNamespace(), m.statPrefix());
    }

    private static String routeName(String name, int i) {
        return name == null || name.isEmpty() ? "#" + i : "\"" + name + "\"";
    }

    private static String matchName(String name, int j) {
        return name == null || name.isEmpty() ? "#" + j : "\"" + name + "\"";
    }
}
