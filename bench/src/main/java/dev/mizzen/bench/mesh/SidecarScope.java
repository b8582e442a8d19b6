package dev.mizzen.bench.mesh;

/** What the mesh's sidecars may reach: Istio's default (every service), or what a Sidecar resource allows. */
public enum SidecarScope {
    /** No Sidecar resources: every proxy sees every service of the mesh, as in Istio by default. */
    ALL,
    /**
     * A Sidecar {@code default} in every namespace with {@code egress: [{hosts: ["./*"]}]}: each proxy sees
     * only the services of its own namespace.
     */
    NAMESPACE
}
