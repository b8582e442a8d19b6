package dev.mizzen.istiod.debug;

import dev.mizzen.pilot.push.PushController;
import dev.mizzen.pilot.push.PushStatus;
import dev.mizzen.pilot.xds.AdsServer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The last push. {@code push_status} is Istio's shape exactly ({@code PushContext.StatusJSON}: check name -> key ->
 * {@code {proxy, message}}), so tools that read Istio's parse it; what Istio's does not carry (when, why, how many
 * proxies, what was sent by type, how much config) is in {@code pushz}, Mizzen's own.
 */
final class PushViews {
    private final PushController pushes;
    private final AdsServer ads;

    PushViews(PushController pushes, AdsServer ads) {
        this.pushes = pushes;
        this.ads = ads;
    }

    void register(Map<String, DebugEndpoint> endpoints) {
        endpoints.put("push_status", DebugEndpoint.of("Last PushContext Details", this::pushStatus));
        endpoints.put("pushz", DebugEndpoint.of("Last push: time, version, reasons, proxies, responses by type, config "
                + "counts and problems (Mizzen)", this::pushz));
    }

    private DebugResponse pushStatus(DebugRequest request) {
        Map<String, Object> out = new TreeMap<>();
        pushes.lastPush().ifPresent(p -> p.problems().forEach((check, entries) -> {
            Map<String, Object> byKey = new TreeMap<>();
            entries.forEach((key, message) -> byKey.put(key, Map.of("message", message)));
            out.put(check, byKey);
        }));
        return Json.write(out, request);
    }

    private DebugResponse pushz(DebugRequest request) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (pushes.lastPush().isEmpty()) {
            return Json.write(out, request);
        }
        PushStatus p = pushes.lastPush().get();
        out.put("version", p.version());
        out.put("start", Json.time(p.start()));
        out.put("end", Json.time(p.end()));
        out.put("durationMillis", p.end().toEpochMilli() - p.start().toEpochMilli());
        out.put("full", p.request().isFull());
        out.put("reasons", new TreeSet<>(p.request().reasons()));
        out.put("configsUpdated", p.request().configsUpdated().size());
        out.put("hostsUpdated", p.request().hostsUpdated().size());
        out.put("proxies", ads.status().stream().filter(c -> !c.isDebugClient()).count());
        out.put("responsesSentByType", ads.responsesByType());
        out.put("services", p.services());
        out.put("configs", p.configs());
        out.put("problems", p.problems());
        return Json.write(out, request);
    }
}
