package dev.mizzen.galley.manifest;

/**
 * A manifest that cannot be read as one meaning: not UTF-8, not YAML, a duplicate key, an alias that
 * expands past the {@link ReaderLimits}. Carries where reading stopped.
 */
public final class ManifestException extends Exception {
    private final transient Position position;
    private final String problem;

    public ManifestException(Position position, String problem) {
        this(position, problem, null);
    }

    public ManifestException(Position position, String problem, Throwable cause) {
        super(position + ": " + problem, cause);
        this.position = position;
        this.problem = problem;
    }

    /** Where reading stopped. */
    public Position position() {
        return position;
    }

    /** What is wrong, without the position. */
    public String problem() {
        return problem;
    }
}
