package dev.mizzen.api.networking;

/** Istio {@code HTTPFaultInjection}: delays and aborts injected into requests. */
public record HttpFaultInjection(FaultDelay delay, FaultAbort abort) {
}
