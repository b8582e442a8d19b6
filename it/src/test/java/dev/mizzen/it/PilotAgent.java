package dev.mizzen.it;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Istio's own {@code pilot-agent}, run as the kubelet would run the {@code istio-proxy} container that istiod's
 * injector put into a stored Pod: the container's arguments and environment (field references resolved from the
 * Pod, {@code $(VAR)} expanded), and what its volumes mount, in a working directory standing for the container's
 * root, because the agent reads them at relative paths ({@code ./var/run/secrets/tokens/istio-token},
 * {@code ./var/run/secrets/istio/root-cert.pem}, {@code ./etc/istio/proxy}):
 *
 * <ul>
 *   <li>the Pod's labels and annotations ({@code istio-podinfo}, a downward API volume), which the agent reports
 *       to istiod as node metadata;
 *   <li>the projected service-account token, from the apiserver's TokenRequest with the audience, lifetime and Pod
 *       binding the Pod's {@code istio-token} volume asks for;
 *   <li>the root certificate, from the ConfigMap the Pod's {@code istiod-ca-cert} volume names.
 * </ul>
 *
 * What cannot be as in a pod is overridden, and only that: istiod's address (loopback, not the Service), the
 * agent's status port (any free port: several agents share this machine), absolute paths under the working
 * directory for what the app container shares with the agent ({@code configPath}, {@code OUTPUT_CERTS}), and
 * {@code CLOUD_PLATFORM=none} (no probing of cloud metadata servers).
 */
public final class PilotAgent implements AutoCloseable {
    private static final Pattern VAR_REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private final Process process;
    private final Path root;
    private final Path logFile;

    private PilotAgent(Process process, Path root, Path logFile) {
        this.process = process;
        this.root = root;
        this.logFile = logFile;
    }

    /**
     * Starts the agent of {@code pod} (as stored, injected, with its status), talking to istiod at
     * {@code localhost:securePort} (the agent's own rule maps {@code localhost} to the SAN istiod.istio-system.svc).
     */
    public static PilotAgent start(KubeCluster cluster, Pod pod, int securePort) {
        Container proxy = Stream.concat(pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream())
                .filter(c -> c.getName().equals("istio-proxy"))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("pod " + pod.getMetadata().getName() + " has no istio-proxy"));
        try {
            // short: the agent's xDS socket lives under it, and a Unix socket path has at most 107 bytes
            Path root = Files.createTempDirectory(Paths.get("/tmp"), "mz-agent-");
            Path logFile = logDir().resolve("pilot-agent-" + pod.getMetadata().getName() + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss-SSS")) + ".log");
            Files.createDirectories(logFile.getParent());
            mountVolumes(cluster, pod, proxy, root);

            Map<String, String> env = new LinkedHashMap<>();
            for (EnvVar var : proxy.getEnv()) {
                env.put(var.getName(), var.getValueFrom() == null ? expand(var.getValue(), env)
                        : fieldRef(pod, var));
            }
            env.put("PROXY_CONFIG", proxyConfig(env.getOrDefault("PROXY_CONFIG", "{}"), securePort, root));
            env.put("OUTPUT_CERTS", root.resolve(relative(env.getOrDefault("OUTPUT_CERTS", "/var/lib/istio/data")))
                    .toString());
            env.put("CA_ADDR", "localhost:" + securePort);
            env.put("CLOUD_PLATFORM", "none");

            List<String> command = new ArrayList<>();
            command.add(IstioTools.pilotAgent().toString());
            for (String arg : proxy.getArgs()) {
                command.add(expand(arg, env));
            }
            Files.writeString(logFile, "# cd " + root + "\n# " + String.join(" ", command) + "\n# env " + env + "\n",
                    StandardCharsets.UTF_8);
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().clear();
            builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            builder.environment().putAll(env);
            Process process = builder.start();
            process.getOutputStream().close();
            return new PilotAgent(process, root, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The projected token and the root certificate, where the container mounts them, under the working directory. */
    private static void mountVolumes(KubeCluster cluster, Pod pod, Container proxy, Path root) throws IOException {
        for (var mount : proxy.getVolumeMounts()) {
            Optional<Volume> volume = pod.getSpec().getVolumes().stream()
                    .filter(v -> v.getName().equals(mount.getName())).findFirst();
            if (volume.isEmpty()) {
                throw new IllegalArgumentException("volume " + mount.getName() + " is mounted but not declared");
            }
            Path dir = root.resolve(relative(mount.getMountPath()));
            Files.createDirectories(dir);
            Volume v = volume.get();
            if (v.getProjected() != null) {
                for (VolumeProjection source : v.getProjected().getSources()) {
                    ServiceAccountTokenProjection token = source.getServiceAccountToken();
                    if (token != null) {
                        Files.writeString(dir.resolve(token.getPath()), projectedToken(cluster, pod, token));
                    }
                }
            } else if (v.getDownwardAPI() != null) {
                for (var item : v.getDownwardAPI().getItems()) {
                    if (item.getFieldRef() == null) {
                        continue;
                    }
                    Map<String, String> values = switch (item.getFieldRef().getFieldPath()) {
                        case "metadata.labels" -> pod.getMetadata().getLabels();
                        case "metadata.annotations" -> pod.getMetadata().getAnnotations();
                        default -> throw new IllegalArgumentException("downward API field "
                                + item.getFieldRef().getFieldPath() + " is not supported here");
                    };
                    Files.writeString(dir.resolve(item.getPath()), downwardApiMap(values));
                }
            } else if (v.getConfigMap() != null) {
                var configMap = cluster.client().configMaps().inNamespace(pod.getMetadata().getNamespace())
                        .withName(v.getConfigMap().getName()).get();
                if (configMap == null) {
                    throw new IllegalStateException("ConfigMap " + v.getConfigMap().getName() + " is not in "
                            + pod.getMetadata().getNamespace() + ": the pod could not start");
                }
                for (var entry : configMap.getData().entrySet()) {
                    Files.writeString(dir.resolve(entry.getKey()), entry.getValue());
                }
            }
        }
    }

    /** The kubelet's format for a map in a downward API file: one {@code key="value"} line per entry, by key. */
    private static String downwardApiMap(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(values == null ? Map.<String, String>of() : values).forEach((k, v) -> {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(k).append('=').append(goQuote(v));
        });
        return out.toString();
    }

    /** Go's %q for the strings labels and annotations hold. */
    private static String goQuote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** What the kubelet asks the apiserver for a projected token: the Pod's account, bound to the Pod. */
    private static String projectedToken(KubeCluster cluster, Pod pod, ServiceAccountTokenProjection projection) {
        String serviceAccount = Optional.ofNullable(pod.getSpec().getServiceAccountName()).orElse("default");
        var spec = new TokenRequestBuilder().withNewSpec()
                .withExpirationSeconds(projection.getExpirationSeconds())
                .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod").withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid()).endBoundObjectRef();
        if (projection.getAudience() != null && !projection.getAudience().isEmpty()) {
            spec = spec.withAudiences(projection.getAudience());
        }
        return cluster.client().serviceAccounts().inNamespace(pod.getMetadata().getNamespace()).withName(serviceAccount)
                .tokenRequest(spec.endSpec().build()).getStatus().getToken();
    }

    private static String fieldRef(Pod pod, EnvVar var) {
        if (var.getValueFrom().getFieldRef() == null) {
            throw new IllegalArgumentException("env " + var.getName() + ": only fieldRef is supported here");
        }
        String path = var.getValueFrom().getFieldRef().getFieldPath();
        return switch (path) {
            case "metadata.name" -> pod.getMetadata().getName();
            case "metadata.namespace" -> pod.getMetadata().getNamespace();
            case "status.podIP" -> pod.getStatus().getPodIP();
            case "status.hostIP" -> pod.getStatus().getHostIP();
            case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
            case "spec.nodeName" -> pod.getSpec().getNodeName();
            default -> throw new IllegalArgumentException("env " + var.getName() + ": field " + path + " is not supported here");
        };
    }

    /** The kubelet's {@code $(VAR)} expansion, from the variables defined before. */
    private static String expand(String value, Map<String, String> env) {
        if (value == null) {
            return "";
        }
        Matcher m = VAR_REF.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The injected proxy config with istiod on loopback, a free status port and an absolute config path. */
    private static String proxyConfig(String injected, int securePort, Path root) {
        var mapper = tools.jackson.databind.json.JsonMapper.builder().build();
        try {
            var config = (tools.jackson.databind.node.ObjectNode) mapper.readTree(injected.isBlank() ? "{}" : injected);
            config.put("discoveryAddress", "localhost:" + securePort);
            config.put("statusPort", ClusterIstiod.freePort());
            config.put("configPath", root.resolve("etc/istio/proxy").toString());
            return mapper.writeValueAsString(config);
        } catch (tools.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("PROXY_CONFIG " + injected, e);
        }
    }

    private static Path relative(String absolute) {
        return Paths.get(absolute.replaceFirst("^/+", ""));
    }

    /** The container's root: the working directory the agent runs in. */
    public Path root() {
        return root;
    }

    /** Where the agent writes the gRPC bootstrap (its default, {@code ./etc/istio/proxy/grpc-bootstrap.json}). */
    public Path grpcBootstrap() {
        return root.resolve("etc/istio/proxy/grpc-bootstrap.json");
    }

    /** Where it writes the workload certificate, key and root ({@code OUTPUT_CERTS}). */
    public Path certificates() {
        return root.resolve("var/lib/istio/data");
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The agent's output so far, for assertion messages. */
    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    /** SIGTERM, as the kubelet stops a container; then a kill; then the working directory goes. */
    @Override
    public void close() {
        process.toHandle().destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.toHandle().destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.toHandle().destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is no reason to fail a test
        }
    }

    private static Path logDir() {
        return Paths.get(System.getProperty("mizzen.it.logs", "target/it-logs")).toAbsolutePath();
    }
}
