package dev.mizzen.pilot.networking.envoyfilter;

import com.google.protobuf.Message;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.networking.EnvoyFilter;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One patch of an EnvoyFilter, ready to apply (Istio's EnvoyFilterConfigPatchWrapper): its value already
 * read into the Envoy message its {@code applyTo} names, its proxy-version regex compiled. Immutable.
 *
 * @param filter the EnvoyFilter it belongs to, for logs and metrics
 * @param index  its place in {@code configPatches}
 * @param match  never null: a patch without one matches everything in every context
 * @param value  null for REMOVE
 */
public record ConfigPatch(ConfigKey filter, int index, ApplyTo applyTo, Operation operation, PatchContext context,
                          EnvoyFilter.EnvoyConfigObjectMatch match, Pattern proxyVersion, Message value,
                          FilterClass filterClass) {
    private static final EnvoyFilter.EnvoyConfigObjectMatch ANYTHING =
            new EnvoyFilter.EnvoyConfigObjectMatch(null, null, null, null, null, null);

    /** The kinds of object a patch applies to. */
    public enum ApplyTo {
        LISTENER, FILTER_CHAIN, NETWORK_FILTER, HTTP_FILTER, ROUTE_CONFIGURATION, VIRTUAL_HOST, HTTP_ROUTE, CLUSTER,
        EXTENSION_CONFIG, BOOTSTRAP, LISTENER_FILTER
    }

    public enum Operation {
        MERGE, ADD, REMOVE, INSERT_BEFORE, INSERT_AFTER, INSERT_FIRST, REPLACE, MERGE_AND_REPLACE_LIST;

        boolean merges() {
            return this == MERGE || this == MERGE_AND_REPLACE_LIST;
        }
    }

    /**
     * Where an added HTTP filter goes among Istio's own (the positions WasmPlugin phases take): AUTHN before
     * the JWT, RBAC and stats filters, AUTHZ after authentication and before RBAC, STATS before the stats
     * filter; UNSPECIFIED leaves the operation to say.
     */
    public enum FilterClass {
        UNSPECIFIED, AUTHN, AUTHZ, STATS;

        static FilterClass parse(String value) {
            return value == null || value.isEmpty() ? UNSPECIFIED : valueOf(value);
        }
    }

    public ConfigPatch {
        match = match == null ? ANYTHING : match;
        filterClass = filterClass == null ? FilterClass.UNSPECIFIED : filterClass;
    }

    /** {@code EnvoyFilter/ns/name[2]}: how logs and metrics name a patch. */
    public String id() {
        return filter.namespace() + "/" + filter.name() + "[" + index + "]";
    }

    /**
     * True when the proxy's version and metadata fit the patch (Istio's proxyMatch): the regex finds a match in
     * {@code ISTIO_VERSION} (a proxy that sends none counts as the newest, {@code 65535.65535.65535}), and every
     * metadata entry is equal.
     */
    public boolean matchesProxy(Map<String, String> metadata) {
        if (match.proxy() == null) {
            return true;
        }
        if (proxyVersion != null) {
            String version = metadata.getOrDefault("ISTIO_VERSION", "");
            if (!proxyVersion.matcher(version.isEmpty() ? "65535.65535.65535" : version).find()) {
                return false;
            }
        }
        return match.proxy().metadata().entrySet().stream()
                .allMatch(e -> e.getValue().equals(metadata.get(e.getKey())));
    }

    /** Istio's patchContextMatch. */
    boolean appliesIn(PatchContext where) {
        return context == PatchContext.ANY || context == where;
    }

    /** The value as the message type {@code M}; a programming error when {@code applyTo} names another. */
    <M extends Message> M value(Class<M> type) {
        return type.cast(value);
    }

    Optional<EnvoyFilter.ListenerMatch> listener() {
        return Optional.ofNullable(match.listener());
    }

    Optional<EnvoyFilter.RouteConfigurationMatch> routeConfiguration() {
        return Optional.ofNullable(match.routeConfiguration());
    }

    Optional<EnvoyFilter.ClusterMatch> cluster() {
        return Optional.ofNullable(match.cluster());
    }
}
