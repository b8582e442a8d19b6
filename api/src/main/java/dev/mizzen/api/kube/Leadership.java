package dev.mizzen.api.kube;

/**
 * Whether this replica may write to the cluster now. With several istiod replicas every one serves xDS, the CA
 * and the webhooks, but only the leader of an election writes what all of them would write the same (the root
 * ConfigMaps, the webhook configurations), as Istio's controllers run only on the leader.
 *
 * <p>A writer asks {@link #isLeading()} just before each write and reconciles everything again when
 * {@link #whenLeading} tells it this replica has become the leader, so nothing a follower skipped is lost.
 * Leadership can end between the check and the write; the writes guarded so are idempotent, so two replicas
 * briefly writing the same thing is harmless (the same trade-off as Kubernetes' leader election).
 */
public interface Leadership {

    /** One process alone (tools, local mode, tests of a single component): always the leader. */
    Leadership ALWAYS = new Leadership() {
        @Override
        public boolean isLeading() {
            return true;
        }

        @Override
        public void whenLeading(Runnable onStart) {
            onStart.run();
        }
    };

    boolean isLeading();

    /**
     * Runs {@code onStart} each time this replica becomes the leader, at once if it leads now. It runs on the
     * election's thread: hand long work to the writer's own executor.
     */
    void whenLeading(Runnable onStart);
}
