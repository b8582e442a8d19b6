package dev.mizzen.it;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/** Waiting for a gRPC call to answer as expected, with the last failure in the message when it never does. */
final class Calls {
    private Calls() {}

    static void awaitAnswer(Duration timeout, String expected, Supplier<String> call) {
        AtomicReference<Object> last = new AtomicReference<>();
        java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try {
            await().atMost(timeout).until(() -> {
                try {
                    String answer = call.get();
                    last.set(answer);
                    return expected.equals(answer);
                } catch (RuntimeException e) {
                    last.set(e);
                    seen.add(String.valueOf(e.getMessage()));
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            AssertionError error = new AssertionError("no answer \"" + expected + "\" within " + timeout
                    + "; the last call got: " + last.get() + "; failures seen: " + seen);
            if (last.get() instanceof Throwable t) {
                error.initCause(t);
            }
            throw error;
        }
    }
}
