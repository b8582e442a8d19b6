package dev.mizzen.istiod.local.cluster;

/**
 * What the local controllers' queue holds: a kind of work and the object it is about. For garbage collection the
 * name is the uid of the owner that went away.
 */
record Key(Kind kind, String namespace, String name) {
    enum Kind { DEPLOYMENT, REPLICA_SET, STATEFUL_SET, DAEMON_SET, JOB, POD, SERVICE, NAMESPACE, ORPHANS, CA_SECRET }

    @Override
    public String toString() {
        return kind + " " + namespace + "/" + name;
    }
}
