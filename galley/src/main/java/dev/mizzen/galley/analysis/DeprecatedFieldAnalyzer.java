package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.HttpRoute;
import dev.mizzen.api.networking.Sidecar;
import dev.mizzen.api.networking.VirtualService;

/**
 * Istio's {@code deprecation.FieldAnalyzer} (named {@code deprecation.DeprecationAnalyzer}) for the kinds Mizzen
 * serves: a fault delay's integer {@code percent} (IST0002, use {@code percentage}) and a Sidecar's
 * {@code outboundTrafficPolicy.egressProxy}, which is ignored. (Istio also flags the removed rbac.istio.io CRDs;
 * CRD objects are not read.)
 */
final class DeprecatedFieldAnalyzer implements Analyzer {
    @Override
    public String name() {
        return "deprecation.DeprecationAnalyzer";
    }

    @Override
    public String description() {
        return "Checks for deprecated Istio types and fields";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        for (Config<VirtualService> c : ctx.list(ConfigKind.VIRTUAL_SERVICE)) {
            for (HttpRoute route : c.spec().http()) {
                if (route.fault() != null && route.fault().delay() != null && route.fault().delay().percent() != null
                        && route.fault().delay().percent() > 0) {
                    ctx.report(Messages.DEPRECATED.on(AnalysisContext.origin(c),
                            "HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage"));
                }
            }
        }
        for (Config<Sidecar> c : ctx.list(ConfigKind.SIDECAR)) {
            if (c.spec().outboundTrafficPolicy() != null && c.spec().outboundTrafficPolicy().egressProxy() != null) {
                ctx.report(Messages.DEPRECATED.on(AnalysisContext.origin(c), "OutboundTrafficPolicy.EgressProxy ignored"));
            }
        }
    }
}
