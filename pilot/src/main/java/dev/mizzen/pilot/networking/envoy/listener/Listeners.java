package dev.mizzen.pilot.networking.envoy.listener;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Listener;

/** The frame every listener shares: its Istio name {@code <address>_<port>}, address and direction. */
final class Listeners {
    private Listeners() {
    }

    static Listener.Builder named(String address, int port, TrafficDirection direction) {
        return Listener.newBuilder()
                .setName(address + "_" + port)
                .setAddress(address(address, port))
                .setTrafficDirection(direction);
    }

    /** A listener that receives what iptables captured, handed over by virtualOutbound; it binds no port. */
    static Listener.Builder captured(String address, int port) {
        return named(address, port, TrafficDirection.OUTBOUND).setBindToPort(BoolValue.of(false));
    }

    static Address address(String address, int port) {
        return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(address).setPortValue(port)).build();
    }
}
