package dev.mizzen.galley.manifest;

/**
 * What one manifest may cost to read. Anchors and aliases let a few lines of YAML stand for an exponential
 * tree ("billion laughs"); these bounds keep reading a hostile file cheap in time and memory.
 *
 * @param maxFileBytes          bytes of one file or of standard input
 * @param maxDocumentCodePoints characters of one document; 3 MiB is the apiserver's limit for a request body
 * @param maxAliases            aliases (`*name`) in one document
 * @param maxValues             values (scalars, lists, maps) of one document after aliases and merge keys are
 *                              expanded, counting each expansion again
 * @param maxDepth              nesting of lists and maps, after expansion
 */
public record ReaderLimits(int maxFileBytes, int maxDocumentCodePoints, int maxAliases, int maxValues, int maxDepth) {
    /** Generous for any Istio or Kubernetes object (Bookinfo's largest document has fewer than 200 values). */
    public static final ReaderLimits DEFAULT = new ReaderLimits(64 << 20, 3 << 20, 100, 100_000, 100);

    public ReaderLimits {
        if (maxFileBytes < 1 || maxDocumentCodePoints < 1 || maxAliases < 0 || maxValues < 1 || maxDepth < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
