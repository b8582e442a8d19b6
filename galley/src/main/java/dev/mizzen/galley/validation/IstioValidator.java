package dev.mizzen.galley.validation;

import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.HttpRoute;
import dev.mizzen.api.networking.TcpRoute;
import dev.mizzen.api.networking.TlsRoute;
import dev.mizzen.api.networking.VirtualService;

import java.util.ArrayList;
import java.util.List;

/** Istio's validation rules, one set per kind. Stateless and thread-safe. */
public final class IstioValidator implements ConfigValidator {
    @Override
    public ValidationReport validate(ConfigKind kind, String namespace, Object spec) {
        List<Finding> out = new ArrayList<>();
        if (kind == ConfigKind.VIRTUAL_SERVICE) {
            virtualService((VirtualService) spec, out);
        }
        return new ValidationReport(out);
    }

    private static void virtualService(VirtualService vs, List<Finding> out) {
        for (int i = 0; i < vs.http().size(); i++) {
            HttpRoute route = vs.http().get(i);
            RouteWeights.check("spec.http[" + i + "].route", route.route(), d -> d.weight(), out);
        }
        for (int i = 0; i < vs.tcp().size(); i++) {
            TcpRoute route = vs.tcp().get(i);
            RouteWeights.check("spec.tcp[" + i + "].route", route.route(), d -> d.weight(), out);
        }
        for (int i = 0; i < vs.tls().size(); i++) {
            TlsRoute route = vs.tls().get(i);
            RouteWeights.check("spec.tls[" + i + "].route", route.route(), d -> d.weight(), out);
        }
    }
}
