package dev.mizzen.pilot.testing;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The receiving end of a test's ADS stream: responses queue up in order; errors and the end are ignored. It
 * reads every response gRPC delivers, or, made by {@link #readingOnly}, only as many as the test allows.
 */
public final class ResponseQueue<T> implements ClientResponseObserver<Object, T> {
    private final LinkedBlockingQueue<T> responses = new LinkedBlockingQueue<>();
    private final int initialReads;
    private volatile ClientCallStreamObserver<Object> call;

    public ResponseQueue() {
        this(-1);
    }

    private ResponseQueue(int initialReads) {
        this.initialReads = initialReads;
    }

    /** A proxy that reads slowly: {@code initial} responses, then one more per {@link #read}. */
    public static <T> ResponseQueue<T> readingOnly(int initial) {
        return new ResponseQueue<>(initial);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Object> stream) {
        if (initialReads >= 0) {
            stream.disableAutoRequestWithInitial(initialReads);
        }
        call = stream;
    }

    /** Lets a {@link #readingOnly} queue read one more response. */
    public void read() {
        call.request(1);
    }

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
