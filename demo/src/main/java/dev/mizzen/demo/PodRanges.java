package dev.mizzen.demo;

import dev.mizzen.istiod.local.apiserver.Cidr;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Picks the local cluster's pod range for the demo and its tests: the first /24 of 127.1.0.0/16 whose first
 * addresses are free on the workloads' port, so two demos on one machine (or a test beside a running demo) do not
 * fight over 127.1.0.1:9080. Deterministic: the same machine state gives the same range.
 */
public final class PodRanges {
    private static final int BLOCKS = 64;
    private static final int PROBED = 16;

    private PodRanges() {
    }

    /** The first 127.1.N.0/24 whose addresses .1 to .16 can listen on {@code port}. */
    public static Cidr free(int port) {
        for (int block = 0; block < BLOCKS; block++) {
            if (free(block, port)) {
                return Cidr.parse("127.1." + block + ".0/24");
            }
        }
        throw new IllegalStateException("no free loopback block in 127.1.0.0/18 for port " + port);
    }

    private static boolean free(int block, int port) {
        for (int host = 1; host <= PROBED; host++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.1." + block + "." + host, port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
