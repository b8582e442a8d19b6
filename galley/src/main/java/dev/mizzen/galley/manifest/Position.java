package dev.mizzen.galley.manifest;

/**
 * Where something is written in a file: 1-based line and column (columns count characters, not bytes), as
 * editors and compilers print them.
 */
public record Position(int line, int column) {
    public Position {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("positions are 1-based: " + line + ":" + column);
        }
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
