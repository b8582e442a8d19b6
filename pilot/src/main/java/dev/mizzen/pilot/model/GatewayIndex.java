package dev.mizzen.pilot.model;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.networking.Gateway;
import dev.mizzen.api.networking.Server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Gateways indexed once per push; a gateway proxy gets the servers of every Gateway whose selector matches it. */
public final class GatewayIndex {
    /** One server of one Gateway, with the name VirtualServices bind to ({@code ns/name}). */
    public record GatewayServer(Config<Gateway> gateway, Server server) {
        public String gatewayName() {
            return gateway.namespace() + "/" + gateway.name();
        }
    }

    private final List<Config<Gateway>> gateways;

    private GatewayIndex(List<Config<Gateway>> gateways) {
        this.gateways = gateways;
    }

    public static GatewayIndex build(List<Config<Gateway>> gateways) {
        return new GatewayIndex(gateways.stream().sorted(Config.BY_CREATION).toList());
    }

    public List<GatewayServer> serversFor(Map<String, String> proxyLabels) {
        List<GatewayServer> out = new ArrayList<>();
        for (Config<Gateway> g : gateways) {
            if (proxyLabels.entrySet().containsAll(g.spec().selector().entrySet())) {
                g.spec().servers().forEach(s -> out.add(new GatewayServer(g, s)));
            }
        }
        return out;
    }

    public List<Config<Gateway>> all() {
        return gateways;
    }
}
