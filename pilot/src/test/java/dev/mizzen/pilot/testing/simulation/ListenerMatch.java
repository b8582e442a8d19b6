package dev.mizzen.pilot.testing.simulation;

/**
 * The listener that handled a connection and its filter chain.
 *
 * @param handedOffBy the capture listener (virtualOutbound) that handed the connection over by original
 *                    destination, or null
 * @param filterChain the chain's name, "#index" when unnamed, "default_filter_chain", or null when none matched
 * @param chainCount  how many filter chains the listener has (the chain is shown when there is a choice)
 */
public record ListenerMatch(String listener, String handedOffBy, String filterChain, int chainCount) {

    ListenerMatch withChain(String chain) {
        return new ListenerMatch(listener, handedOffBy, chain, chainCount);
    }

    @Override
    public String toString() {
        String out = "listener " + listener + (handedOffBy == null ? "" : " (via " + handedOffBy + ")");
        boolean showChain = filterChain != null && (chainCount > 1 || filterChain.equals("default_filter_chain"));
        return showChain ? out + " > chain " + filterChain : out;
    }
}
