package dev.mizzen.galley.validation;

/** An error refuses the object; a warning lets it through and is reported back. */
public enum Severity { ERROR, WARNING }
