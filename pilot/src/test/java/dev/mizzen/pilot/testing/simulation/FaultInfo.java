package dev.mizzen.pilot.testing.simulation;

/**
 * The fault filter's per-route config in effect: a delay and/or an abort, each for a percentage of requests.
 * {@code abortStatus} 0 means no abort; {@code delay} empty means no delay.
 */
public record FaultInfo(String delay, double delayPercent, int abortStatus, double abortPercent) {
    @Override
    public String toString() {
        String d = delay.isEmpty() ? "" : "delay " + delay + " for " + delayPercent + "%";
        String a = abortStatus == 0 ? "" : "abort " + abortStatus + " for " + abortPercent + "%";
        return d.isEmpty() ? a : a.isEmpty() ? d : d + ", " + a;
    }
}
