package dev.mizzen.pilot.model;

/** Whether a service's workloads are in the mesh (they have sidecars and speak Istio mTLS) or outside it. */
public enum Location { MESH_INTERNAL, MESH_EXTERNAL }
