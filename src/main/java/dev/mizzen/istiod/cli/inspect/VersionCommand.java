package dev.mizzen.istiod.cli.inspect;

import dev.mizzen.istiod.BuildInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code istiod version}: istioctl's three lines, the client's version, the control plane's ({@code /version})
 * and the data plane's (the versions the connected proxies report in {@code /debug/syncz}); {@code --remote=false}
 * prints the client's alone.
 */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Prints the version of this binary and of a running istiod and its proxies.")
public final class VersionCommand implements Callable<Integer> {
    @Mixin
    IstiodAddress istiod = new IstiodAddress();

    @Option(names = "--remote", defaultValue = "true", arity = "0..1", paramLabel = "BOOL",
            description = "Also ask the running istiod (default ${DEFAULT-VALUE}).")
    boolean remote;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("client version: " + BuildInfo.CURRENT.version());
        out.flush();
        if (remote) {
            IstiodClient client = istiod.client();
            out.println("control plane version: " + serverVersion(client.get("/version")));
            out.println("data plane version: " + dataPlane(ProxyStatusCommand.parse(client.get("/debug/syncz"), client)));
            out.flush();
        }
        return 0;
    }

    /** {@code /version} prints Istio's {@code version-revision-status}; the version may itself hold dashes. */
    static String serverVersion(String body) {
        String line = body.strip();
        int status = line.lastIndexOf('-');
        int revision = status > 0 ? line.lastIndexOf('-', status - 1) : -1;
        return revision > 0 ? line.substring(0, revision) : line;
    }

    /** istioctl's summary: each version and how many proxies run it. */
    static String dataPlane(JsonNode syncz) {
        Map<String, Integer> counts = new TreeMap<>();
        syncz.forEach(s -> counts.merge(s.path("istio_version").asString("").isEmpty() ? "unknown"
                : s.path("istio_version").asString(""), 1, Integer::sum));
        if (counts.isEmpty()) {
            return "none (no proxies connected)";
        }
        return counts.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue() + " proxies)")
                .collect(Collectors.joining(", "));
    }
}
