package dev.mizzen.istiod.http;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Request bodies read as Jetty delivers them, never blocking a thread: a client that sends its body slowly
 * costs a connection, and a deadline bounds for how long.
 */
public final class RequestBodies {
    private RequestBodies() {
    }

    /** A body longer than the limit, announced or actual. */
    public static final class TooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        TooLargeException(long limit) {
            super("request body too large, the limit is " + limit + " bytes");
        }
    }

    /**
     * The whole body. Fails with {@link TooLargeException} past {@code maxBytes} (announced or read), with
     * {@link TimeoutException} when it has not all arrived within {@code timeout}, or with the I/O failure.
     */
    public static CompletableFuture<byte[]> read(Request request, int maxBytes, Duration timeout) {
        if (request.getLength() > maxBytes) {
            return CompletableFuture.failedFuture(new TooLargeException(maxBytes));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(request.getLength() > 0 ? (int) request.getLength() : 1024);
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        new ChunkReader(request, done, timeout) {
            @Override
            boolean accept(ByteBuffer chunk) {
                if (body.size() + chunk.remaining() > maxBytes) {
                    done.completeExceptionally(new TooLargeException(maxBytes));
                    return false;
                }
                byte[] bytes = new byte[chunk.remaining()];
                chunk.get(bytes);
                body.writeBytes(bytes);
                return true;
            }

            @Override
            void end() {
                done.complete(body.toByteArray());
            }
        }.start();
        return done;
    }

    /**
     * {@code callback}, completed only once the rest of the body has been read and dropped, up to
     * {@code maxBytes} and {@code timeout}: give it to the write of a refusal. A client that writes its whole
     * body before it reads (the JDK's HttpClient does) would otherwise have the connection closed under it
     * while still sending, and see a broken pipe instead of the refusal. Past either bound the connection is
     * closed after all.
     */
    public static Callback discardingRest(Request request, long maxBytes, Duration timeout, Callback callback) {
        return Callback.from(() -> {
            long[] dropped = {0};
            CompletableFuture<Void> done = new CompletableFuture<>();
            done.whenComplete((ignored, failure) -> callback.succeeded()); // the answer is out either way
            new ChunkReader(request, done, timeout) {
                @Override
                boolean accept(ByteBuffer chunk) {
                    dropped[0] += chunk.remaining();
                    if (dropped[0] > maxBytes) {
                        done.complete(null);
                        return false;
                    }
                    return true;
                }

                @Override
                void end() {
                    done.complete(null);
                }
            }.start();
        }, callback::failed);
    }

    /**
     * Jetty's read/demand loop over a request's chunks, until the last chunk, a failure, the deadline, or
     * {@link #accept} says enough. Jetty runs {@link #run} once at a time; only the deadline's timer runs
     * beside it, and the future decides which of them finishes.
     */
    private abstract static class ChunkReader implements Runnable {
        private final Request request;
        private final CompletableFuture<?> done;
        private final Duration timeout;

        ChunkReader(Request request, CompletableFuture<?> done, Duration timeout) {
            this.request = request;
            this.done = done;
            this.timeout = timeout;
        }

        /** Takes one chunk's bytes; false stops reading (after completing the future). */
        abstract boolean accept(ByteBuffer chunk);

        /** The last chunk was accepted: complete the future. */
        abstract void end();

        final void start() {
            run();
            if (!done.isDone()) { // still arriving (a small body usually came with the headers): bound the wait
                Scheduler.Task deadline = request.getComponents().getScheduler().schedule(() -> done.completeExceptionally(
                        new TimeoutException("request body not received within " + timeout)), timeout.toMillis(), TimeUnit.MILLISECONDS);
                done.whenComplete((result, failure) -> deadline.cancel());
            }
        }

        @Override
        public final void run() {
            while (!done.isDone()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    done.completeExceptionally(chunk.getFailure());
                    return;
                }
                boolean more = accept(chunk.getByteBuffer());
                boolean last = chunk.isLast();
                chunk.release();
                if (!more) {
                    return;
                }
                if (last) {
                    end();
                    return;
                }
            }
        }
    }
}
