package dev.mizzen.citadel.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the machine's {@code openssl verify} on a chain as the CA returned it (leaf first, roots last). */
public final class OpenSsl {
    /** What openssl said. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0 && output.contains(": OK");
        }
    }

    private OpenSsl() {
    }

    public static Result verify(List<String> pemChain, Path workDir) {
        try {
            Path leaf = Files.writeString(workDir.resolve("leaf.pem"), pemChain.get(0));
            Path roots = Files.writeString(workDir.resolve("roots.pem"), pemChain.get(pemChain.size() - 1));
            List<String> command = new ArrayList<>(List.of("openssl", "verify", "-CAfile", roots.toString()));
            if (pemChain.size() > 2) {
                Path untrusted = Files.writeString(workDir.resolve("intermediates.pem"),
                        String.join("", pemChain.subList(1, pemChain.size() - 1)));
                command.addAll(List.of("-untrusted", untrusted.toString()));
            }
            command.add(leaf.toString());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("openssl verify did not finish");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run openssl (is it installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
