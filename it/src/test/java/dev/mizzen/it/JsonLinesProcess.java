package dev.mizzen.it;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One of the fixture's Go programs (it/build-go.sh) spoken to in JSON lines: a request on its stdin, one answer on
 * its stdout, in order; its stderr goes to a log file. Not thread-safe: one test thread talks to it.
 */
final class JsonLinesProcess implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String name;
    private final Process process;
    private final BufferedWriter requests;
    private final BufferedReader answers;

    private JsonLinesProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts the built program {@code name} with these arguments and environment, its stderr into {@code log}. */
    static JsonLinesProcess start(String name, List<String> args, Map<String, String> env, Path log) {
        Path binary = KubeCluster.goBinDir().resolve(name);
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: build it with it/build-go.sh (the it module's Maven build runs it)");
        }
        try {
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>(List.of(binary.toString()));
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
            builder.environment().putAll(env);
            return new JsonLinesProcess(name, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one request and reads its answer; the program's exit is an error naming its code. */
    JsonNode exchange(JsonNode request) {
        try {
            requests.write(JSON.writeValueAsString(request));
            requests.newLine();
            requests.flush();
            String line = answers.readLine();
            if (line == null) {
                throw new IllegalStateException(name + " exited (code " + process.waitFor() + "); see its log");
            }
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            requests.close();
        } catch (IOException ignored) {
            // the process is ending anyway
        }
        process.destroy();
    }
}
