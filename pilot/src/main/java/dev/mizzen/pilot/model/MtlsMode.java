package dev.mizzen.pilot.model;

/** What a workload accepts inbound: mutual TLS only, either, or plaintext only. */
public enum MtlsMode { STRICT, PERMISSIVE, DISABLE }
