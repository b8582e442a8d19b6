package dev.mizzen.istiod.cli;

import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.galley.analysis.AnalysisInput;
import dev.mizzen.galley.analysis.Analyzer;
import dev.mizzen.galley.analysis.Analyzers;
import dev.mizzen.galley.analysis.DiagMessage;
import dev.mizzen.galley.analysis.Level;
import dev.mizzen.galley.analysis.ManifestInputs;
import dev.mizzen.galley.analysis.MeshOptions;
import dev.mizzen.galley.manifest.ManifestDocument;
import dev.mizzen.galley.manifest.ManifestException;
import dev.mizzen.galley.manifest.ManifestReader;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code istiod analyze}: Istio's cross-object checks ({@code istioctl analyze}) over files ({@code -f}), a
 * cluster ({@code --kubeconfig}), or a cluster with files applied on top. Messages print as istioctl prints them,
 * {@code Error [IST0101] (VirtualService default/reviews file.yaml:12) Referenced host not found: "reviewz"}, or
 * as JSON or YAML ({@code -o}). Only messages about the analysed namespace ({@code -n}, default {@code default})
 * and cluster-scoped objects are shown, unless {@code -A}. Exit status as istioctl's: 0 clean, 79 when a message
 * reaches {@code --failure-threshold} (log output only, as istioctl), 65 when a file could not be read or parsed,
 * 64 for a wrong option.
 */
@Command(name = "analyze",
        description = "Analyze Istio configuration and the Kubernetes objects it refers to, as istioctl analyze does.",
        footer = "Exit status: 0 no issues, 79 issues at or above --failure-threshold, 65 a file could not be"
                + " parsed, 64 wrong usage.")
public final class AnalyzeCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int USAGE = 64;
    static final int PARSE_ERROR = 65;
    static final int ISSUES = 79;
    private static final String DOC_PREFIX = "https://istio.io/latest/docs/reference/config/analysis";

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE",
            description = "A file or directory (its .yaml, .yml and .json files) to analyze; repeat for several.")
    List<String> files = new ArrayList<>();

    @Option(names = {"-R", "--recursive"}, description = "Also read the files in subdirectories of a directory.")
    boolean recursive;

    @Option(names = {"-A", "--all-namespaces"}, description = "Analyze all namespaces.")
    boolean allNamespaces;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
            description = "The namespace to analyze, and that of objects in files that name none (default: default).")
    String namespace;

    @Option(names = {"-o", "--output"}, defaultValue = "log", description = "Output format: log, json or yaml.")
    String output;

    @Option(names = "--output-threshold", defaultValue = "Info",
            description = "The lowest level shown: Info, Warning or Error (default ${DEFAULT-VALUE}).")
    String outputThreshold;

    @Option(names = "--failure-threshold", defaultValue = "Error",
            description = "The level at which the exit status is non-zero (default ${DEFAULT-VALUE}).")
    String failureThreshold;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Analyze the cluster of this kubeconfig (files given with -f are applied on top).")
    Path kubeconfig;

    @Option(names = "--root-namespace", defaultValue = "istio-system",
            description = "Istio's root namespace (default ${DEFAULT-VALUE}).")
    String rootNamespace;

    @Option(names = "--meshConfigFile", paramLabel = "FILE",
            description = "Mesh config (YAML, as the mesh key of Istio's istio ConfigMap) to analyze against.")
    Path meshConfigFile;

    @Option(names = {"-L", "--list-analyzers"}, description = "List the analyzers and exit.")
    boolean list;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int run(PrintWriter out, PrintWriter err) {
        if (list) {
            for (Analyzer a : Analyzers.all()) {
                out.println("* " + a.name() + ":");
                out.println("    " + a.description());
            }
            return OK;
        }
        String format = output.toLowerCase(Locale.ROOT);
        var outputLevel = Level.parse(outputThreshold);
        var failureLevel = Level.parse(failureThreshold);
        if (!List.of("log", "json", "yaml").contains(format) || outputLevel.isEmpty() || failureLevel.isEmpty()) {
            err.println("Error: " + (outputLevel.isEmpty() || failureLevel.isEmpty()
                    ? "thresholds are one of Info, Warning, Error" : format + " not a valid option for format. See istiod analyze --help"));
            return USAGE;
        }
        if (files.isEmpty() && kubeconfig == null) {
            err.println("Error: nothing to analyze: give -f FILE|DIR or --kubeconfig FILE");
            return USAGE;
        }
        String selected = namespace == null || namespace.isEmpty() ? "default" : namespace;
        ManifestInputs inputs = new ManifestInputs(selected, ManifestInputs.SchemaStage.CRD_SCHEMA);
        if (kubeconfig != null) {
            try {
                readCluster(inputs);
            } catch (IOException | KubernetesClientException e) {
                err.println("Error: cannot read the cluster: " + e.getMessage());
                return 1;
            }
        }
        if (kubeconfig == null) {
            inputs.addDefaultIngressGateway(rootNamespace);
        }
        int parseErrors = 0;
        List<String> names = new ArrayList<>();
        for (String f : files) {
            for (String file : expand(f, err)) {
                names.add(file);
                try {
                    for (ManifestDocument doc : ManifestReader.standard().read(Path.of(file))) {
                        inputs.add(file, doc);
                    }
                } catch (IOException e) {
                    err.println("Error(s) adding files: " + file + ": " + e.getMessage());
                    parseErrors++;
                } catch (ManifestException e) {
                    err.println("Error(s) adding files: " + file + ":" + e.position() + ": " + e.problem());
                    parseErrors++;
                }
            }
        }
        MeshOptions mesh = new MeshOptions(rootNamespace, "cluster.local", MeshOptions.DnsAllocation.OFF);
        if (meshConfigFile != null) {
            try {
                List<ManifestDocument> docs = ManifestReader.standard().read(meshConfigFile);
                mesh = MeshOptions.fromMeshConfig(rootNamespace, docs.isEmpty() ? Map.of() : docs.get(0).content());
            } catch (IOException e) {
                err.println("Error: cannot read the mesh config " + meshConfigFile + ": " + e.getMessage());
                return PARSE_ERROR;
            } catch (ManifestException e) {
                err.println("Error: mesh config " + meshConfigFile + ":" + e.position() + ": " + e.problem());
                return PARSE_ERROR;
            }
        }
        AnalysisInput input = inputs.input(mesh);
        List<DiagMessage> all = Analyzers.analyze(input).stream()
                .filter(m -> allNamespaces || m.origin().namespace().isEmpty() || m.origin().namespace().equals(selected))
                .toList();
        List<DiagMessage> shown = all.stream().filter(m -> m.level().atLeast(outputLevel.get())).toList();
        print(shown, format, inputs, out);
        String target = allNamespaces ? "all namespaces" : "namespace: " + selected;
        if (shown.isEmpty()) {
            if (parseErrors == 0) {
                err.printf("\u2714 No validation issues found when analyzing %s.%n",
                        kubeconfig == null && !names.isEmpty() ? String.join("\n", names) : target);
            } else {
                err.printf("No validation issues found when analyzing %s (but %d %s could not be parsed).%n", target,
                        parseErrors, parseErrors == 1 ? "file" : "files");
            }
        }
        if (!format.equals("log")) {
            return OK;
        }
        if (all.stream().anyMatch(m -> m.level().atLeast(failureLevel.get()))) {
            err.println("Error: Analyzers found issues when analyzing " + target + ".");
            err.println("See " + DOC_PREFIX + " for more information about causes and resolutions.");
            return ISSUES;
        }
        return parseErrors > 0 ? PARSE_ERROR : OK;
    }

    private static void print(List<DiagMessage> messages, String format, ManifestInputs inputs, PrintWriter out) {
        if (format.equals("log")) {
            for (DiagMessage m : messages) {
                out.println(m.line(inputs.reference(m)));
            }
            return;
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (DiagMessage m : messages) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("code", m.code());
            o.put("documentationUrl", DOC_PREFIX + "/" + m.code().toLowerCase(Locale.ROOT) + "/?ref=istioctl-analyze");
            o.put("level", m.level().text());
            o.put("message", m.text());
            o.put("origin", m.origin().friendlyName());
            String ref = inputs.reference(m);
            if (!ref.isEmpty()) {
                o.put("reference", ref);
            }
            list.add(o);
        }
        if (format.equals("json")) {
            out.println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(list));
        } else {
            out.print(YAMLMapper.builder().build().writeValueAsString(list));
        }
    }

    private List<String> expand(String file, PrintWriter err) {
        Path path = Path.of(file);
        if (!Files.isDirectory(path)) {
            return List.of(file);
        }
        try (Stream<Path> walk = recursive ? Files.walk(path) : Files.list(path)) {
            List<String> found = new ArrayList<>();
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")) {
                    found.add(p.toString());
                } else {
                    err.println("Skipping file " + p + ", recognized file extensions are: [.json .yaml .yml]");
                }
            }
            return found;
        } catch (IOException e) {
            err.println("Error(s) adding files: " + file + ": " + e.getMessage());
            return List.of();
        }
    }

    /** Every Istio object, Service, Namespace, Pod, Deployment and credential Secret of the cluster. */
    @SuppressWarnings("unchecked")
    private void readCluster(ManifestInputs inputs) throws IOException {
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            List<GenericKubernetesResource> objects = new ArrayList<>();
            for (String kind : List.of("Namespace", "Service", "Pod")) {
                objects.addAll(client.genericKubernetesResources("v1", kind).inAnyNamespace().list().getItems());
            }
            objects.addAll(client.genericKubernetesResources("apps/v1", "Deployment").inAnyNamespace().list().getItems());
            // gateways' credentials; not the types that never hold one (most Secrets of a cluster)
            objects.addAll(client.genericKubernetesResources("v1", "Secret").inAnyNamespace()
                    .withoutField("type", "kubernetes.io/service-account-token")
                    .withoutField("type", "helm.sh/release.v1").list().getItems());
            for (ConfigKind<?> kind : ConfigKind.all()) {
                ResourceDefinitionContext crd = new ResourceDefinitionContext.Builder()
                        .withGroup(kind.group().groupName()).withVersion(kind.preferredVersion())
                        .withKind(kind.kind()).withPlural(kind.plural()).withNamespaced(true).build();
                try {
                    objects.addAll(client.genericKubernetesResources(crd).inAnyNamespace().list().getItems());
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404) {
                        throw e;
                    }
                }
            }
            for (GenericKubernetesResource o : objects) {
                inputs.add(client.getKubernetesSerialization().convertValue(o, Map.class));
            }
        }
    }
}
