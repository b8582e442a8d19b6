package dev.mizzen.bench.load;

import dev.mizzen.bench.measure.ProcessProbe;
import dev.mizzen.bench.measure.ServerProcess;
import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.pilot.xds.ConnectionStatus;

import java.util.List;
import java.util.Optional;

/**
 * The xDS server a phase measures, wherever it runs: in this process (its CPU is what the load tool's and
 * the embedded API server's threads did not use), or in another (its CPU read from /proc, the load tool's
 * being all of this process's).
 */
interface ServerSide {
    ProcessProbe.Cpu cpu();

    /** The server's own view of its proxies; empty when it runs elsewhere and keeps it to itself. */
    Optional<List<ConnectionStatus>> status();

    static ServerSide inProcess(IstiodServer istiod) {
        return new ServerSide() {
            @Override
            public ProcessProbe.Cpu cpu() {
                return ProcessProbe.cpu();
            }

            @Override
            public Optional<List<ConnectionStatus>> status() {
                return Optional.of(istiod.ads().status());
            }
        };
    }

    static ServerSide otherProcess(ServerProcess server) {
        return new ServerSide() {
            @Override
            public ProcessProbe.Cpu cpu() {
                return ProcessProbe.Cpu.ofOtherProcess(server.cpuNanos(), server.jitCpuNanos(), ProcessProbe.processCpuNanos());
            }

            @Override
            public Optional<List<ConnectionStatus>> status() {
                return Optional.empty();
            }
        };
    }
}
