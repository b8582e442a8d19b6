package dev.mizzen.api.networking;

/** Istio {@code TrafficPolicy.RetryBudget}: a limit on concurrent retries. */
public record RetryBudget(Double percent, Integer minRetryConcurrency, String budgetInterval) {
}
