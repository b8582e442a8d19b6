package dev.mizzen.api.networking;

/** Istio {@code HTTPFaultInjection.Abort}: one of an HTTP status, a gRPC status or an HTTP/2 error. */
public record FaultAbort(Integer httpStatus, String grpcStatus, String http2Error, Percent percentage) {
}
