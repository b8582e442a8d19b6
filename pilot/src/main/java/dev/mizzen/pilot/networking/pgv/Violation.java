package dev.mizzen.pilot.networking.pgv;

/** One broken protoc-gen-validate rule: where (field path from the root resource) and what. */
public record Violation(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
