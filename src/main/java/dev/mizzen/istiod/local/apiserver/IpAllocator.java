package dev.mizzen.istiod.local.apiserver;

import java.util.BitSet;
import java.util.Optional;

/**
 * Hands out the addresses of a block, lowest free first (a cluster picks at random; the lowest keeps local mode's
 * addresses the same from one start to the next when the files are the same). The block's first and last addresses
 * are never handed out.
 *
 * <p>Thread-safe: every method holds the allocator's monitor.
 */
public final class IpAllocator {
    private final Cidr block;
    private final BitSet used = new BitSet();

    public IpAllocator(Cidr block) {
        this.block = block;
    }

    public Cidr block() {
        return block;
    }

    /** The lowest free address, now taken; empty when the block is full. */
    public synchronized Optional<String> allocate() {
        int index = used.nextClearBit(1);
        if (index >= block.size() - 1) {
            return Optional.empty();
        }
        used.set(index);
        return Optional.of(block.address(index));
    }

    /**
     * Takes a given address.
     *
     * @throws IllegalArgumentException when it is not in the block, or already taken
     */
    public synchronized void reserve(String address) {
        int index = block.indexOf(address);
        if (index < 0 || index >= block.size()) {
            throw new IllegalArgumentException(address + " is not in the range " + block);
        }
        if (index == 0 || index == block.size() - 1) {
            throw new IllegalArgumentException(address + " is reserved (the first and last addresses of " + block
                    + " are never allocated)");
        }
        if (used.get(index)) {
            throw new IllegalArgumentException(address + " is already allocated");
        }
        used.set(index);
    }

    /** True when the address is in the block and taken. */
    public synchronized boolean isAllocated(String address) {
        int index = block.indexOf(address);
        return index > 0 && used.get(index);
    }

    /** Gives an address back; addresses outside the block are ignored. */
    public synchronized void release(String address) {
        int index = block.indexOf(address);
        if (index > 0) {
            used.clear(index);
        }
    }
}
