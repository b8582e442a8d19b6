package dev.mizzen.pilot.testing.simulation;

import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch.ConnectionSourceType;
import io.envoyproxy.envoy.config.listener.v3.Listener;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Envoy's filter chain selection (FilterChainManagerImpl::findFilterChain): criteria in a fixed order,
 * destination port, destination IP, server name, transport protocol, application protocols, direct source
 * IP, source type, source IP, source port. At each step the most specific value that matches wins and only
 * the chains carrying it go on; chains without the criterion are the fallback. There is no backtracking:
 * a chain that wins a step but fails a later one leaves no match, and then the default_filter_chain.
 */
final class FilterChainSelector {

    /** The chosen chain; index -1 for the default_filter_chain. */
    record Selected(FilterChain chain, int index, String name) {
    }

    private record Candidate(FilterChain chain, int index) {
        FilterChainMatch match() {
            return chain.getFilterChainMatch();
        }
    }

    private FilterChainSelector() {
    }

    static Selected select(Listener listener, Connection c) {
        if (listener.hasFilterChainMatcher()) {
            throw new SimulationStop(Failure.Kind.UNSUPPORTED, "filter_chain_matcher on " + listener.getName());
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < listener.getFilterChainsCount(); i++) {
            candidates.add(new Candidate(listener.getFilterChains(i), i));
        }
        candidates = byDestinationPort(candidates, c.localPort());
        candidates = byLongestPrefix(candidates, c.localAddress(), FilterChainMatch::getPrefixRangesList);
        candidates = byServerName(candidates, c.sni());
        candidates = exactOrEmpty(candidates, m -> m.getTransportProtocol().isEmpty(),
                m -> m.getTransportProtocol().equals(c.transportProtocol()));
        candidates = byApplicationProtocol(candidates, c.alpn());
        candidates = byLongestPrefix(candidates, c.sourceAddress(), FilterChainMatch::getDirectSourcePrefixRangesList);
        candidates = bySourceType(candidates, c);
        candidates = byLongestPrefix(candidates, c.sourceAddress(), FilterChainMatch::getSourcePrefixRangesList);
        candidates = exactOrEmpty(candidates, m -> m.getSourcePortsCount() == 0,
                m -> m.getSourcePortsList().contains(c.sourcePort()));
        if (candidates.size() > 1) {
            throw new SimulationStop(Failure.Kind.CONFIG_REJECTED, "listener " + listener.getName()
                    + ": filter chains " + candidates.stream().map(FilterChainSelector::name).toList()
                    + " have overlapping matching rules");
        }
        if (candidates.size() == 1) {
            Candidate only = candidates.get(0);
            return new Selected(only.chain(), only.index(), name(only));
        }
        if (listener.hasDefaultFilterChain()) {
            return new Selected(listener.getDefaultFilterChain(), -1, "default_filter_chain");
        }
        throw new SimulationStop(Failure.Kind.NO_FILTER_CHAIN, "listener " + listener.getName()
                + " has no filter chain for " + c.localAddress() + ":" + c.localPort() + " transport "
                + c.transportProtocol() + (c.sni().isEmpty() ? "" : " sni " + c.sni())
                + (c.alpn().isEmpty() ? "" : " alpn " + c.alpn()));
    }

    private static List<Candidate> byDestinationPort(List<Candidate> in, int port) {
        return exactOrEmpty(in, m -> !m.hasDestinationPort(), m -> m.hasDestinationPort()
                && m.getDestinationPort().getValue() == port);
    }

    /** Chains with the most specific value that matches, else those without the criterion, else none. */
    private static List<Candidate> exactOrEmpty(List<Candidate> in, Predicate<FilterChainMatch> unset,
                                                Predicate<FilterChainMatch> matches) {
        List<Candidate> exact = in.stream().filter(c -> !unset.test(c.match()) && matches.test(c.match())).toList();
        return !exact.isEmpty() ? exact : in.stream().filter(c -> unset.test(c.match())).toList();
    }

    /** The longest matching range wins; no ranges means the catch-all (0.0.0.0/0 and ::/0). */
    private static List<Candidate> byLongestPrefix(List<Candidate> in, String address,
                                                   Function<FilterChainMatch, List<CidrRange>> ranges) {
        String best = null;
        int bestLength = -1;
        for (Candidate c : in) {
            for (String key : matchingKeys(ranges.apply(c.match()), address)) {
                int length = key.equals(Cidr.CATCH_ALL) ? 0 : Integer.parseInt(key.substring(key.indexOf('/') + 1));
                if (length > bestLength) {
                    best = key;
                    bestLength = length;
                }
            }
        }
        String winner = best;
        return winner == null ? List.of()
                : in.stream().filter(c -> matchingKeys(ranges.apply(c.match()), address).contains(winner)).toList();
    }

    private static List<String> matchingKeys(List<CidrRange> ranges, String address) {
        if (ranges.isEmpty()) {
            return List.of(Cidr.CATCH_ALL);
        }
        return ranges.stream().map(Cidr::of).filter(r -> r.contains(address)).map(Cidr::key).toList();
    }

    /** Exact name, then "*.example.com", "*.com" (longest first), then chains without server_names. */
    private static List<Candidate> byServerName(List<Candidate> in, String sni) {
        List<Candidate> exact = withServerName(in, sni);
        if (!sni.isEmpty() && !exact.isEmpty()) {
            return exact;
        }
        for (int dot = sni.indexOf('.', 1); dot >= 0 && dot < sni.length() - 1; dot = sni.indexOf('.', dot + 1)) {
            List<Candidate> wildcard = withServerName(in, "*" + sni.substring(dot));
            if (!wildcard.isEmpty()) {
                return wildcard;
            }
        }
        return in.stream().filter(c -> c.match().getServerNamesCount() == 0).toList();
    }

    private static List<Candidate> withServerName(List<Candidate> in, String name) {
        return in.stream().filter(c -> c.match().getServerNamesList().stream()
                .anyMatch(n -> n.equalsIgnoreCase(name))).toList();
    }

    /** The first protocol of the client's ALPN list that some chain names, else chains naming none. */
    private static List<Candidate> byApplicationProtocol(List<Candidate> in, List<String> alpn) {
        for (String protocol : alpn) {
            List<Candidate> matching = in.stream()
                    .filter(c -> c.match().getApplicationProtocolsList().contains(protocol)).toList();
            if (!matching.isEmpty()) {
                return matching;
            }
        }
        return in.stream().filter(c -> c.match().getApplicationProtocolsCount() == 0).toList();
    }

    private static List<Candidate> bySourceType(List<Candidate> in, Connection c) {
        boolean local = c.sourceAddress().equals(c.localAddress()) || Cidr.isLoopback(c.sourceAddress());
        ConnectionSourceType wanted = local ? ConnectionSourceType.SAME_IP_OR_LOOPBACK : ConnectionSourceType.EXTERNAL;
        List<Candidate> specific = in.stream().filter(x -> x.match().getSourceType() == wanted).toList();
        return !specific.isEmpty() ? specific
                : in.stream().filter(x -> x.match().getSourceType() == ConnectionSourceType.ANY).toList();
    }

    private static String name(Candidate c) {
        return c.chain().getName().isEmpty() ? "#" + c.index() : c.chain().getName();
    }
}
