package dev.mizzen.istiod.cli.inspect;

import dev.mizzen.istiod.cli.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code istiod proxy-config cluster|listener|route|endpoint|secret|all PROXY [-o short|json|yaml]}: istioctl's
 * views of a proxy's config, taken from what istiod last sent that proxy ({@code /debug/config_dump}) instead of
 * the proxy's own admin port, so they show istiod's side of the conversation. Secrets come with their private
 * keys already redacted by istiod.
 */
@Command(name = "proxy-config", aliases = "pc", mixinStandardHelpOptions = true,
        description = "What a running istiod sent one proxy, as istioctl proxy-config prints it.",
        subcommands = {ProxyConfigCommand.Clusters.class, ProxyConfigCommand.Listeners.class,
                ProxyConfigCommand.Routes.class, ProxyConfigCommand.Endpoints.class, ProxyConfigCommand.Secrets.class,
                ProxyConfigCommand.All.class})
public final class ProxyConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "say what to show: cluster, listener, route, endpoint, secret or all");
    }

    /** What every kind takes: the proxy, the output format, istiod's address. */
    abstract static class Kind implements Callable<Integer> {
        private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        private static final YAMLMapper YAML = YAMLMapper.builder().build();

        @Mixin
        IstiodAddress istiod = new IstiodAddress();

        @Parameters(index = "0", paramLabel = "PROXY",
                description = "The proxy: a pod name, pod.namespace, or the full proxy id, as proxy-status lists it.")
        String proxy;

        @Option(names = {"-o", "--output"}, defaultValue = "short", paramLabel = "FORMAT",
                description = "short, json or yaml (default ${DEFAULT-VALUE}).")
        String output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (!List.of("short", "json", "yaml").contains(output)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "-o " + output + ": use short, json or yaml");
            }
            IstiodClient client = istiod.client();
            String path = "/debug/config_dump?proxyID=" + URLEncoder.encode(proxy, StandardCharsets.UTF_8)
                    + (withEndpoints() ? "&include_eds=true" : "");
            ConfigDumpView dump;
            try {
                dump = new ConfigDumpView(ProxyStatusCommand.parse(client.get(path), client));
            } catch (UserError e) {
                throw e.getMessage().contains(" answered 404 ")
                        ? new UserError("no proxy " + proxy + " is connected to istiod at " + client.address()
                        + " (see proxy-status)") : e;
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output.equals("short")) {
                out.print(summary(dump));
            } else {
                JsonNode value = structured(dump);
                out.println(output.equals("json") ? JSON.writeValueAsString(value) : YAML.writeValueAsString(value));
            }
            out.flush();
            return 0;
        }

        boolean withEndpoints() {
            return false;
        }

        abstract String summary(ConfigDumpView dump);

        abstract JsonNode structured(ConfigDumpView dump);

        static JsonNode array(List<JsonNode> items) {
            return JSON.valueToTree(items);
        }
    }

    /** One kind of resource: a summary table and the list of resources. */
    abstract static class Resources extends Kind {
        private final Function<ConfigDumpView, String> summary;
        private final Function<ConfigDumpView, List<JsonNode>> list;

        Resources(Function<ConfigDumpView, String> summary, Function<ConfigDumpView, List<JsonNode>> list) {
            this.summary = summary;
            this.list = list;
        }

        @Override
        String summary(ConfigDumpView dump) {
            return summary.apply(dump);
        }

        @Override
        JsonNode structured(ConfigDumpView dump) {
            return array(list.apply(dump));
        }
    }

    @Command(name = "cluster", aliases = {"clusters", "c"}, mixinStandardHelpOptions = true,
            description = "The clusters (CDS) istiod sent the proxy.")
    static final class Clusters extends Resources {
        Clusters() {
            super(ConfigSummaries::clusters, ConfigDumpView::clusters);
        }
    }

    @Command(name = "listener", aliases = {"listeners", "l"}, mixinStandardHelpOptions = true,
            description = "The listeners (LDS) istiod sent the proxy.")
    static final class Listeners extends Resources {
        Listeners() {
            super(ConfigSummaries::listeners, ConfigDumpView::listeners);
        }
    }

    @Command(name = "route", aliases = {"routes", "r"}, mixinStandardHelpOptions = true,
            description = "The route configurations (RDS) istiod sent the proxy.")
    static final class Routes extends Resources {
        Routes() {
            super(ConfigSummaries::routes, ConfigDumpView::routes);
        }
    }

    @Command(name = "endpoint", aliases = {"endpoints", "ep"}, mixinStandardHelpOptions = true,
            description = "The endpoints (EDS) istiod sent the proxy.")
    static final class Endpoints extends Resources {
        Endpoints() {
            super(ConfigSummaries::endpoints, ConfigDumpView::endpoints);
        }

        @Override
        boolean withEndpoints() {
            return true;
        }
    }

    @Command(name = "secret", aliases = {"secrets", "s"}, mixinStandardHelpOptions = true,
            description = "The secrets (SDS) istiod sent the proxy, private keys redacted.")
    static final class Secrets extends Kind {
        @Override
        String summary(ConfigDumpView dump) {
            return ConfigSummaries.secrets(dump, Instant.now());
        }

        @Override
        JsonNode structured(ConfigDumpView dump) {
            return dump.secretsSection();
        }
    }

    @Command(name = "all", aliases = "a", mixinStandardHelpOptions = true,
            description = "Everything istiod sent the proxy: the whole config dump with json or yaml, every table with short.")
    static final class All extends Kind {
        @Override
        boolean withEndpoints() {
            return true;
        }

        @Override
        String summary(ConfigDumpView dump) {
            return String.join("\n", ConfigSummaries.clusters(dump), ConfigSummaries.listeners(dump),
                    ConfigSummaries.routes(dump), ConfigSummaries.endpoints(dump),
                    ConfigSummaries.secrets(dump, Instant.now()));
        }

        @Override
        JsonNode structured(ConfigDumpView dump) {
            return dump.dump();
        }
    }
}
