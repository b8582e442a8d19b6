package dev.mizzen.istiod.debug;

import dev.mizzen.api.config.ConfigStore;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.push.PushController;
import dev.mizzen.pilot.xds.AdsServer;
import dev.mizzen.pilot.xds.XdsDebug;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Istio's debug endpoints ({@code pilot/pkg/xds/debug.go}), by name, with its paths and JSON shapes, for both ways
 * in: the monitoring port's {@code /debug/<name>} and the xDS type {@code istio.io/debug} ({@link XdsDebug}), which
 * answers with the same bytes. Also {@code /debug} (Istio's index page) and {@code list}. What a caller may see is
 * decided before ({@link DebugAccess}); an endpoint only narrows lists to {@link DebugRequest#callerNamespace()}.
 *
 * <p>Thread-safe: the endpoints are fixed at construction and read shared, thread-safe state.
 */
public final class DebugViews implements XdsDebug.DebugEndpoints {
    private final Map<String, DebugEndpoint> endpoints;

    /** @param analysis the latest analysis of the live mesh, as {@code istiod analyze} prints it */
    public DebugViews(AdsServer ads, PushController pushes, ConfigStore configs, MeshSettings mesh,
                      Supplier<String> analysis) {
        Map<String, DebugEndpoint> all = new TreeMap<>();
        all.put("analyze", DebugEndpoint.of("Analysis messages about the live mesh after the last push",
                request -> DebugResponse.text(200, analysis.get())));
        new ConnectionViews(ads).register(all);
        new RegistryViews(pushes::current, configs, mesh).register(all);
        new PushViews(pushes, ads).register(all);
        all.put("list", DebugEndpoint.of("List all supported debug commands in json", this::list));
        this.endpoints = Collections.unmodifiableMap(all);
    }

    /** Endpoint name -> help, sorted. */
    public Map<String, String> index() {
        Map<String, String> out = new TreeMap<>();
        endpoints.forEach((name, endpoint) -> out.put("/debug/" + name, endpoint.help()));
        return out;
    }

    public DebugResponse serve(DebugRequest request) {
        DebugEndpoint endpoint = endpoints.get(request.name());
        if (endpoint == null) {
            return DebugResponse.text(404, "no debug endpoint " + dev.mizzen.api.logging.ClientText.quote(request.name(), 128)
                    + "; see /debug\n");
        }
        return endpoint.serve(request);
    }

    /**
     * The xDS way in ({@code istio.io/debug}): the body, prefixed as Istio prefixes it with a JSON object of the
     * status code when that is not 200.
     */
    @Override
    public byte[] serve(String resource, Optional<String> callerNamespace) {
        DebugResponse response = serve(DebugRequest.parse(resource, callerNamespace));
        if (response.status() == 200) {
            return response.body();
        }
        byte[] header = ("{\"statusCode\":\"" + response.status() + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[header.length + response.body().length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(response.body(), 0, out, header.length, response.body().length);
        return out;
    }

    /** Istio's {@code /debug} page: a table of the endpoints with their help. */
    public String indexPage() {
        StringBuilder html = new StringBuilder("<html>\n<head>\n<title>Pilot Debug Console</title>\n</head>\n<body>\n"
                + "<p>Note: Use <b>pretty</b> in query string (like <b>debug/configz?pretty</b>) to format the output.</p>\n"
                + "<table id=\"endpoints\">\n<tr><th>Endpoint</th><th>Description</th></tr>\n");
        index().forEach((path, help) -> html.append("<tr><td><a href='").append(path).append("'>").append(path)
                .append("</a></td><td>").append(escape(help)).append("</td></tr>\n"));
        return html.append("</table>\n</body>\n</html>\n").toString();
    }

    private DebugResponse list(DebugRequest request) {
        return Json.write(endpoints.keySet().stream().filter(n -> !n.equals("list")).sorted().toList(), request);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
