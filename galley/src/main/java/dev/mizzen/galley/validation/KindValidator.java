package dev.mizzen.galley.validation;

/**
 * The rules of one Istio kind. Implementations are stateless, so one instance serves every thread.
 *
 * @param <S> the spec record, e.g. {@code VirtualService}
 */
interface KindValidator<S> {
    /**
     * Adds every finding about {@code spec} to {@code out}.
     *
     * @param namespace the object's namespace: {@code exportTo: ["."]} and friends are relative to it
     */
    void validate(S spec, String namespace, Findings out);
}
