package dev.mizzen.bench.load;

import dev.mizzen.bench.measure.ServerProcess;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * An xDS server in another process and the real API server it watches: where the proxies connect, where
 * the mesh is written, and the process whose CPU and memory are the server's.
 *
 * @param name    what the report calls the server
 * @param client  a client of the API server the server watches (the load tool writes the mesh through it)
 */
public record ExternalTarget(String name, String xdsHost, int xdsPort, KubernetesClient client, ServerProcess server) {
    public ExternalTarget {
        if (xdsPort < 1 || xdsPort > 65535) {
            throw new IllegalArgumentException("xDS port out of range: " + xdsPort);
        }
    }
}
