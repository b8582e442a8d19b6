package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.galley.validation.Finding;
import dev.mizzen.galley.validation.IstioValidator;

/**
 * Istio's {@code schema.ValidationAnalyzer}: Istio's validation rules over every object (IST0106, IST0130,
 * IST0131, IST0133), and the messages an earlier stage found (the CRD schema of files read offline).
 */
final class SchemaAnalyzer implements Analyzer {
    private final IstioValidator validator = new IstioValidator();

    @Override
    public String name() {
        return "schema.ValidationAnalyzer";
    }

    @Override
    public String description() {
        return "Runs schema validation as an analyzer and reports any violations";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        ctx.input().earlier().forEach(ctx::report);
        for (ConfigKind<?> kind : ConfigKind.all()) {
            validate(ctx, kind);
        }
    }

    private <S> void validate(AnalysisContext ctx, ConfigKind<S> kind) {
        for (Config<S> c : ctx.list(kind)) {
            for (Finding f : validator.validate(kind, c.namespace(), c.spec()).findings()) {
                ctx.report(SchemaMessages.of(AnalysisContext.origin(c), f));
            }
        }
    }
}
