package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;
import java.util.Map;

/**
 * Istio's {@code WorkloadGroup} ({@code networking.istio.io}): the template for WorkloadEntries of VMs that
 * register themselves ({@code metadata} and {@code template}), and the readiness probe their agents run.
 */
public record WorkloadGroup(ObjectMetadata metadata, WorkloadEntry template, ReadinessProbe probe) {

    /** Labels and annotations every WorkloadEntry of the group gets. */
    public record ObjectMetadata(Map<String, String> labels, Map<String, String> annotations) {
        public ObjectMetadata {
            labels = Copies.map(labels);
            annotations = Copies.map(annotations);
        }
    }

    /** One of httpGet, tcpSocket, exec and grpc, with Kubernetes' probe timings. */
    public record ReadinessProbe(Integer initialDelaySeconds, Integer timeoutSeconds, Integer periodSeconds,
                                 Integer successThreshold, Integer failureThreshold, HttpHealthCheck httpGet,
                                 TcpHealthCheck tcpSocket, ExecHealthCheck exec, GrpcHealthCheck grpc) {
    }

    public record HttpHealthCheck(String path, Integer port, String host, String scheme, List<HttpHeader> httpHeaders) {
        public HttpHealthCheck {
            httpHeaders = Copies.list(httpHeaders);
        }
    }

    public record HttpHeader(String name, String value) {
    }

    public record TcpHealthCheck(String host, Integer port) {
    }

    public record ExecHealthCheck(List<String> command) {
        public ExecHealthCheck {
            command = Copies.list(command);
        }
    }

    public record GrpcHealthCheck(Integer port, String service) {
    }
}
