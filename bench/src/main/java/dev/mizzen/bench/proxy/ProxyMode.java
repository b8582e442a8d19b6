package dev.mizzen.bench.proxy;

import java.util.Set;

/** The kinds of client the load tool simulates. A sidecar mode joins once istiod serves Envoy sidecars. */
public enum ProxyMode {
    /** grpc-java's xDS client, node metadata {@code GENERATOR=grpc}. */
    GRPC {
        @Override
        public SubscriptionPolicy policy(Set<String> listenerNames) {
            return new GrpcClientPolicy(listenerNames);
        }

        @Override
        public String generator() {
            return "grpc";
        }
    };

    /** @param listenerNames the listeners a client of this kind asks for by name (when it does) */
    public abstract SubscriptionPolicy policy(Set<String> listenerNames);

    /** The GENERATOR node metadata Istio's agent writes for this kind; empty for none. */
    public abstract String generator();
}
