package dev.mizzen.galley.analysis;

/** Istio's {@code deployment.ApplicationUIDAnalyzer}: no application container runs as UID 1337 (IST0144). */
final class ApplicationUidAnalyzer implements Analyzer {
    private static final long PROXY_UID = 1337;

    @Override
    public String name() {
        return "deployment.ApplicationUIDAnalyzer";
    }

    @Override
    public String description() {
        return "Checks invalid application UID";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        for (KubeWorkload w : ctx.input().workloads()) {
            if ((w.isPod() || w.kind().equals("Deployment")) && w.runAsUsers().contains(PROXY_UID)) {
                ctx.report(Messages.INVALID_APPLICATION_UID.on(w.origin()));
            }
        }
    }
}
