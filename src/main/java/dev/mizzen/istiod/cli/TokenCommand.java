package dev.mizzen.istiod.cli;

import dev.mizzen.istiod.local.LocalState;
import dev.mizzen.istiod.local.identity.ServiceAccountTokens;
import dev.mizzen.istiod.local.identity.TokenPage;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code istiod token --namespace NS --service-account SA}: prints a service-account token of local mode, what a
 * workload presents to the CA (audience {@code istio-ca}) to get its certificate. From a running local istiod
 * ({@code --istiod-address HOST:PORT}, its monitoring port, loopback only: the token names a service account that
 * exists, with its uid) or from a local directory's state ({@code --local DIR}: signed with the same key, so the
 * running istiod accepts it while the service account exists).
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Print a service-account token of local mode (for the CA: audience istio-ca).")
public final class TokenCommand implements Callable<Integer> {
    private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd])");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-n", "--namespace"}, required = true, description = "The service account's namespace.")
    String namespace;

    @Option(names = "--service-account", required = true, description = "The service account's name.")
    String serviceAccount;

    @Option(names = "--audience", description = "An audience of the token (repeatable; default istio-ca).")
    List<String> audiences;

    @Option(names = "--duration", defaultValue = "1h",
            description = "How long the token is valid: 10m to 48h, as 90m, 1h, 2d (default ${DEFAULT-VALUE}).")
    String duration;

    @ArgGroup(multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--istiod-address", paramLabel = "HOST:PORT",
                description = "A running local istiod's monitoring port (loopback only).")
        String istiodAddress;

        @ArgGroup(exclusive = false)
        LocalDir local;
    }

    static final class LocalDir {
        @Option(names = "--local", paramLabel = "DIR", required = true,
                description = "The directory of istiod --local, whose state holds the signing key.")
        Path dir;

        @Option(names = "--state-dir", paramLabel = "DIR", description = "Local mode's state (default: DIR/.istiod).")
        Path stateDir;
    }

    @Override
    public Integer call() throws Exception {
        Duration lifetime;
        try {
            lifetime = parseDuration(duration);
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage());
        }
        List<String> aud = audiences == null || audiences.isEmpty() ? TokenPage.DEFAULT_AUDIENCES : audiences;
        if (source.istiodAddress != null) {
            return fromIstiod(source.istiodAddress, aud, lifetime);
        }
        Path state = source.local.stateDir != null ? source.local.stateDir : LocalState.defaultDir(source.local.dir);
        Optional<com.nimbusds.jose.jwk.RSAKey> key = LocalState.existingSigningKey(state);
        if (key.isEmpty()) {
            return fail("no signing key in " + state + ": start istiod --local " + source.local.dir + " once first");
        }
        try {
            ServiceAccountTokens.Issued issued = new ServiceAccountTokens(key.get(), Clock.systemUTC())
                    .issue(new ServiceAccountTokens.Request(namespace, serviceAccount, Optional.empty(), aud, lifetime));
            spec.commandLine().getOut().println(issued.token());
            spec.commandLine().getOut().flush();
            return 0;
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage());
        }
    }

    private int fromIstiod(String address, List<String> aud, Duration lifetime) throws IOException, InterruptedException {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            return fail("--istiod-address must be HOST:PORT, not " + address);
        }
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        try {
            if (!InetAddress.getByName(host).isLoopbackAddress()) {
                return fail("--istiod-address must be a loopback address (tokens are not sent over a network): " + host);
            }
        } catch (UnknownHostException e) {
            return fail("--istiod-address: unknown host " + host);
        }
        StringBuilder query = new StringBuilder("namespace=").append(enc(namespace))
                .append("&serviceAccount=").append(enc(serviceAccount)).append("&seconds=").append(lifetime.toSeconds());
        aud.forEach(a -> query.append("&audience=").append(enc(a)));
        URI uri = URI.create("http://" + address + TokenPage.PATH + "?" + query);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return fail("cannot reach istiod at " + address + ": " + e.getMessage());
        }
        if (response.statusCode() != 200) {
            return fail("istiod at " + address + " answered " + response.statusCode() + ": " + response.body().trim());
        }
        spec.commandLine().getOut().println(response.body().trim());
        spec.commandLine().getOut().flush();
        return 0;
    }

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--duration: not a duration such as 90m, 1h or 2d: " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("istiod token: " + message);
        spec.commandLine().getErr().flush();
        return 2;
    }
}
