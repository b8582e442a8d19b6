package dev.mizzen.galley.analysis;

/**
 * One port of a Kubernetes Service.
 *
 * @param targetPort as written: a number or a port name; {@code ""} when absent (Kubernetes then uses the port)
 * @param protocol   {@code TCP} (the default), {@code UDP} or {@code SCTP}
 */
public record KubeServicePort(String name, int port, String protocol, String targetPort, String appProtocol) {
    public KubeServicePort {
        name = name == null ? "" : name;
        protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol;
        targetPort = targetPort == null ? "" : targetPort;
        appProtocol = appProtocol == null ? "" : appProtocol;
    }

    /** The target port as Go's {@code intstr.String()} prints it: the port number when unset. */
    public String targetPortText() {
        return targetPort.isEmpty() ? "0" : targetPort;
    }

    /** The target port when it is a number ({@code intstr.IntValue()}), else 0 (unset or a port name). */
    public int numericTargetPort() {
        try {
            return targetPort.isEmpty() ? 0 : Integer.parseInt(targetPort);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
