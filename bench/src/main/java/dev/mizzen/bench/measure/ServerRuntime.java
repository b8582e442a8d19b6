package dev.mizzen.bench.measure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to read the live heap of a server in another process, after a full collection, so that a Java and
 * a Go server are compared on what they keep rather than on when their collectors last ran.
 */
public enum ServerRuntime {
    /** A JVM (Mizzen's istiod): {@code jcmd PID GC.run}, then the used figure of {@code GC.heap_info}. */
    JVM {
        private static final Pattern USED = Pattern.compile("used (\\d+)K");

        @Override
        long heapAfterGc(long pid, URI monitoring) throws IOException, InterruptedException {
            for (int i = 0; i < GC_ROUNDS; i++) {
                jcmd(pid, "GC.run");
            }
            Matcher m = USED.matcher(jcmd(pid, "GC.heap_info"));
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        }
    },
    /**
     * A Go program with Istio's monitoring port (istiod): {@code /debug/pprof/heap?gc=1} runs a collection
     * first, then {@code go_memstats_heap_alloc_bytes} of {@code /metrics} is the live heap.
     */
    GO {
        private static final Pattern ALLOC = Pattern.compile("(?m)^go_memstats_heap_alloc_bytes (\\S+)");

        @Override
        long heapAfterGc(long pid, URI monitoring) throws IOException, InterruptedException {
            for (int i = 0; i < GC_ROUNDS; i++) {
                get(monitoring.resolve("/debug/pprof/heap?gc=1"));
            }
            Matcher m = ALLOC.matcher(get(monitoring.resolve("/metrics")));
            return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
        }
    };

    private static final int GC_ROUNDS = 2;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Live heap in bytes, -1 when the figure could not be read.
     *
     * @param monitoring base URL of the server's monitoring port (used by {@link #GO})
     */
    abstract long heapAfterGc(long pid, URI monitoring) throws IOException, InterruptedException;

    private static String get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(CALL_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd",
                Long.toString(pid), command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("jcmd " + pid + " " + command + " did not finish");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
