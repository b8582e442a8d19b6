package dev.mizzen.pilot.testing;

import io.grpc.stub.StreamObserver;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The receiving end of a test's ADS stream: responses queue up in order; errors and the end are ignored. */
public final class ResponseQueue<T> implements StreamObserver<T> {
    private final LinkedBlockingQueue<T> responses = new LinkedBlockingQueue<>();

    @Override
    public void onNext(T value) {
        responses.add(value);
    }

    @Override
    public void onError(Throwable t) {
    }

    @Override
    public void onCompleted() {
    }

    /** The next response, failing the test when none comes within 10 seconds. */
    public T next() throws InterruptedException {
        T r = responses.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("a response").isNotNull();
        return r;
    }

    /** The next response within {@code millis}, or null: for asserting that nothing is sent. */
    public T poll(long millis) throws InterruptedException {
        return responses.poll(millis, TimeUnit.MILLISECONDS);
    }
}
