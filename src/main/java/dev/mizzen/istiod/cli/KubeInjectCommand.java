package dev.mizzen.istiod.cli;

import dev.mizzen.pilot.inject.InjectionSettings;
import dev.mizzen.pilot.inject.KubeInject;
import dev.mizzen.pilot.inject.KubeInjectException;
import dev.mizzen.pilot.inject.SidecarInjector;
import dev.mizzen.pilot.inject.SidecarLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code istiod kube-inject -f FILE}: a manifest with Istio's sidecar added to every workload (Pods,
 * Deployments, StatefulSets, DaemonSets, Jobs, CronJobs ...); other documents pass through, order kept.
 */
@Command(name = "kube-inject", mixinStandardHelpOptions = true,
        description = "Inject the Istio sidecar into the workloads of a manifest, like istioctl kube-inject.")
public final class KubeInjectCommand implements Callable<Integer> {
    @Option(names = {"-f", "--filename"}, required = true, description = "The manifest; - reads stdin.")
    String file;

    @Option(names = {"-o", "--output"}, description = "Write here instead of stdout.")
    Path output;

    @Option(names = "--injectConfigFile", description = "Injection policy and templates (the config key of istio-sidecar-injector).")
    Path injectConfig;

    @Option(names = "--valuesFile", description = "Values over the defaults (hub, tag, ...).")
    Path values;

    @Option(names = "--meshConfigFile", description = "Mesh config over the defaults.")
    Path mesh;

    @Option(names = "--revision", defaultValue = "", description = "The control plane revision to inject for.")
    String revision;

    @Option(names = "--sidecar-layout", defaultValue = "NATIVE",
            description = "NATIVE (istio-proxy as an init container that keeps running) or CLASSIC (default ${DEFAULT-VALUE}).")
    SidecarLayout layout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        String in = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(Path.of(file));
        try {
            InjectionSettings settings = InjectionSettings.fromSources(read(injectConfig), read(values), read(mesh))
                    .withRevision(revision).withLayout(layout);
            KubeInject.Result result = KubeInject.run(in, new SidecarInjector(settings));
            result.warnings().forEach(spec.commandLine().getErr()::println);
            if (output == null) {
                spec.commandLine().getOut().print(result.yaml());
                spec.commandLine().getOut().flush();
            } else {
                Files.writeString(output, result.yaml());
            }
            return 0;
        } catch (KubeInjectException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 1;
        }
    }

    private static String read(Path path) throws IOException {
        return path == null ? null : Files.readString(path);
    }
}
