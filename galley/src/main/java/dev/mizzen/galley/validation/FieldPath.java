package dev.mizzen.galley.validation;

/**
 * Where a finding is, in Istio's form: {@code spec.http[0].route[1].weight}, map entries as
 * {@code spec.http[0].match[0].headers[end-user]}. Immutable; each step returns a new path.
 */
record FieldPath(String text) {
    static final FieldPath SPEC = new FieldPath("spec");

    FieldPath field(String name) {
        return new FieldPath(text + "." + name);
    }

    FieldPath index(int i) {
        return new FieldPath(text + "[" + i + "]");
    }

    FieldPath key(String key) {
        return new FieldPath(text + "[" + key + "]");
    }

    @Override
    public String toString() {
        return text;
    }
}
