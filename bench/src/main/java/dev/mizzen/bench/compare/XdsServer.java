package dev.mizzen.bench.compare;

import dev.mizzen.bench.measure.ServerRuntime;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The two servers compared, each started as its users start it, on loopback ports picked free, against the
 * API server of a kubeconfig; each serves plaintext xDS (as on Istio's port 15010) to the load tool.
 * The connection rate limit of each (Istio's PILOT_MAX_REQUESTS_PER_SECOND, Mizzen's
 * --xds-new-streams-per-second) is lifted: the connect storm measures how fast each serves, not its pacing.
 */
public enum XdsServer {
    /** Mizzen's istiod in its own JVM, from this program's own class path. */
    MIZZEN("Mizzen istiod", ServerRuntime.JVM) {
        @Override
        ProcessBuilder command(Launch launch) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + launch.maxHeap(), "-cp", System.getProperty("java.class.path"),
                    "dev.mizzen.istiod.Istiod", "--kubeconfig", launch.kubeconfig().toString(),
                    "--bind-address", LOOPBACK, "--xds-port", Integer.toString(launch.xdsPort()),
                    "--secure-xds-port", Integer.toString(freePort()), "--webhook-port", Integer.toString(freePort()),
                    "--monitoring-port", Integer.toString(launch.monitoringPort()),
                    "--xds-new-streams-per-second", UNLIMITED));
            return new ProcessBuilder(cmd);
        }
    },
    /**
     * Istio's istiod: {@code pilot-discovery discovery} built from istio.io/istio by the real-cluster fixture,
     * with the environment a Deployment gives it (POD_NAMESPACE, POD_NAME, REVISION) and its own CA off (no
     * secure port here; Mizzen's CA only signs when asked, which the load tool never does).
     */
    ISTIOD("Istio istiod", ServerRuntime.GO) {
        @Override
        ProcessBuilder command(Launch launch) throws IOException {
            Path mesh = launch.dir().resolve("mesh.yaml");
            Files.writeString(mesh, "defaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012\n");
            Path networks = launch.dir().resolve("meshNetworks.yaml");
            Files.writeString(networks, "networks: {}\n");
            ProcessBuilder builder = new ProcessBuilder(launch.goBin().resolve("pilot-discovery").toString(), "discovery",
                    "--kubeconfig", launch.kubeconfig().toString(), "--meshConfig", mesh.toString(),
                    "--networksConfig", networks.toString(), "--domain", "cluster.local",
                    "--grpcAddr", LOOPBACK + ":" + launch.xdsPort(), "--secureGRPCAddr", "", "--httpsAddr", "",
                    "--httpAddr", LOOPBACK + ":" + freePort(),
                    "--monitoringAddr", LOOPBACK + ":" + launch.monitoringPort());
            builder.environment().putAll(Map.of("POD_NAMESPACE", ISTIOD_NAMESPACE, "POD_NAME", "istiod-bench",
                    "REVISION", "default", "PILOT_MAX_REQUESTS_PER_SECOND", UNLIMITED, "ENABLE_CA_SERVER", "false"));
            return builder;
        }
    };

    static final String ISTIOD_NAMESPACE = "istio-system";
    static final String LOOPBACK = "127.0.0.1";
    private static final String UNLIMITED = "1000000000";

    private final String label;
    private final ServerRuntime runtime;

    XdsServer(String label, ServerRuntime runtime) {
        this.label = label;
        this.runtime = runtime;
    }

    public String label() {
        return label;
    }

    ServerRuntime runtime() {
        return runtime;
    }

    /**
     * Where and how one server starts.
     *
     * @param dir     its working files and log
     * @param maxHeap the JVM's -Xmx (Mizzen)
     */
    record Launch(Path goBin, Path kubeconfig, Path dir, int xdsPort, int monitoringPort, String maxHeap) {
    }

    abstract ProcessBuilder command(Launch launch) throws IOException;

    /** A port free now on loopback (another program may take it before the server does; rare, and it fails loudly). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
