package dev.mizzen.pilot.testing.simulation;

/** Thrown by a stage of the simulation that cannot go on; {@link Simulation} turns it into the result. */
final class SimulationStop extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Failure failure;

    SimulationStop(Failure.Kind kind, String detail) {
        super(kind + ": " + detail, null, false, false);
        this.failure = new Failure(kind, detail);
    }

    Failure failure() {
        return failure;
    }
}
