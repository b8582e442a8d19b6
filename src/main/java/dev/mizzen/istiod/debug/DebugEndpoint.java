package dev.mizzen.istiod.debug;

/** One debug endpoint: a help line for the index and what it answers. Implementations are thread-safe. */
public interface DebugEndpoint {
    String help();

    DebugResponse serve(DebugRequest request);

    static DebugEndpoint of(String help, java.util.function.Function<DebugRequest, DebugResponse> serve) {
        return new DebugEndpoint() {
            @Override
            public String help() {
                return help;
            }

            @Override
            public DebugResponse serve(DebugRequest request) {
                return serve.apply(request);
            }
        };
    }
}
