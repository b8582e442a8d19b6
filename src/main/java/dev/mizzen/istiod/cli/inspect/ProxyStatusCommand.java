package dev.mizzen.istiod.cli.inspect;

import dev.mizzen.istiod.cli.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.concurrent.Callable;

/**
 * {@code istiod proxy-status [PROXY]}: istioctl's table of the proxies connected to istiod and what they subscribed
 * to; with {@code --sync-state}, what istiod sent each proxy and whether it acknowledged it.
 */
@Command(name = "proxy-status", aliases = "ps", mixinStandardHelpOptions = true,
        description = "Sync status of the proxies connected to a running istiod (from its /debug/syncz), "
                + "as istioctl proxy-status prints it.")
public final class ProxyStatusCommand implements Callable<Integer> {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Mixin
    IstiodAddress istiod = new IstiodAddress();

    @Parameters(arity = "0..1", paramLabel = "PROXY", defaultValue = "",
            description = "Only proxies whose id contains this (a pod name, pod.namespace, or the full id).")
    String proxy;

    @Option(names = {"-v", "--sync-state"},
            description = "One column per xDS type with its sync state (SYNCED, NOT SENT, STALE), as istioctl "
                    + "printed it before it listed subscribed types.")
    boolean syncState;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        IstiodClient client = istiod.client();
        JsonNode syncz = parse(client.get("/debug/syncz"), client);
        String table = syncState ? SyncStatusTable.renderSyncState(syncz, client.address(), proxy)
                : SyncStatusTable.renderSubscriptions(syncz, client.address(), proxy);
        if (!proxy.isEmpty() && table.lines().count() < 2) {
            throw new UserError("no proxy " + proxy + " is connected to istiod at " + client.address());
        }
        spec.commandLine().getOut().print(table);
        spec.commandLine().getOut().flush();
        return 0;
    }

    static JsonNode parse(String body, IstiodClient client) {
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            throw new UserError("istiod at " + client.address() + " answered something that is not JSON");
        }
    }
}
