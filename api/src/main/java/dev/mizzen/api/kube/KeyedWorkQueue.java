package dev.mizzen.api.kube;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * A Kubernetes controller's work queue: informer handlers only add keys; one worker thread takes them in order
 * and reconciles each from the informers' caches. A key added while it waits is not added twice, so a burst of
 * updates to one object costs one reconcile of its latest state; a key added while it is being reconciled is
 * reconciled again after. Tasks ({@link #execute}) run on the worker in their turn, never merged: for what must
 * see every version of an object, and as barriers once everything added before them is done.
 *
 * <p>Threading: {@link #add} and {@link #barrier} from any thread; the work function runs on the queue's one
 * thread only, so a component's state needs no other lock when only its work function writes it.
 *
 * @param <K> the key, usually {@code kind + namespace/name}
 */
public final class KeyedWorkQueue<K> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyedWorkQueue.class);

    private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private final Set<K> waiting = ConcurrentHashMap.newKeySet();
    private final Consumer<K> work;
    private final Thread worker;
    private volatile boolean closed;

    /** A task in the queue: runs once everything before it is done. */
    private record Task(Runnable run) {
    }

    public KeyedWorkQueue(String name, Consumer<K> work) {
        this.work = work;
        this.worker = new Thread(this::run, name);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Asks for {@code key} to be reconciled; a key already waiting is not added again. */
    public void add(K key) {
        if (!closed && waiting.add(key)) {
            items.add(key);
        }
    }

    /** Runs {@code task} on the worker after everything added before this call. */
    public void execute(Runnable task) {
        if (!closed) {
            items.add(new Task(task));
        }
    }

    @SuppressWarnings("unchecked")
    private void run() {
        while (!closed) {
            Object item;
            try {
                item = items.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (item instanceof Task task) {
                    task.run().run();
                } else {
                    K key = (K) item;
                    waiting.remove(key);
                    work.accept(key);
                }
            } catch (RuntimeException e) {
                LOG.error("{}: reconciling {} failed", worker.getName(), item, e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
    }
}
