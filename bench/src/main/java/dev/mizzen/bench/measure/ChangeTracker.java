package dev.mizzen.bench.measure;

import dev.mizzen.bench.proxy.AckListener;
import dev.mizzen.bench.proxy.AcceptedResponse;
import dev.mizzen.bench.proxy.ResourceInfo;
import dev.mizzen.bench.proxy.SimulatedProxy;

import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Measures how long changes take to reach proxies: a change is registered (with the proxies expected to
 * get it) before it is written to the apiserver; each proxy's ACK of a response holding the change's
 * marker counts as its arrival, at the time the ACK was sent.
 *
 * <p>Threading: {@link #register} and {@link #retire} run on the scenario's thread; {@link #onAck} on
 * proxies' stream threads. The active list is copy-on-write (few changes active at once, many reads).
 */
public final class ChangeTracker implements AckListener {
    private final List<PendingChange> active = new CopyOnWriteArrayList<>();

    /** Starts tracking a change that is about to be written; its clock starts now. */
    public PendingChange register(String typeUrl, Set<String> resourceNames, Marker marker, BitSet expected) {
        PendingChange change = new PendingChange(typeUrl, resourceNames, marker, expected, System.nanoTime());
        if (change.affected() > 0) {
            active.add(change);
        }
        return change;
    }

    /** Stops tracking a change, complete or not. */
    public void retire(PendingChange change) {
        active.remove(change);
    }

    @Override
    public void onAck(SimulatedProxy proxy, AcceptedResponse response, long ackNanos) {
        if (active.isEmpty()) {
            return;
        }
        for (PendingChange change : active) {
            if (!change.typeUrl().equals(response.typeUrl()) || !change.awaits(proxy.index())) {
                continue;
            }
            List<ResourceInfo> resources = response.resources();
            for (int i = 0; i < resources.size(); i++) {
                if (change.resourceNames().contains(resources.get(i).name())
                        && change.marker().foundIn(response.bodies().get(i))) {
                    if (change.arrive(proxy.index(), ackNanos)) {
                        active.remove(change);
                    }
                    break;
                }
            }
        }
    }
}
