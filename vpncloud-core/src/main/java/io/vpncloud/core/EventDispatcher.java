package io.vpncloud.core;

import io.vpncloud.api.VpnEvent;
import io.vpncloud.api.VpnListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers events to the listeners, in order, on its own daemon thread. Listeners are user code: they may be slow
 * or throw, so {@link #fire} only enqueues and never blocks; a slow listener delays only the events after it, and
 * a call over {@link #SLOW_CALL} is logged with the listener's name. Without listeners there is no thread.
 */
final class EventDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    /** Events waiting beyond this are dropped: a stuck listener must not grow the heap without bound. */
    static final int CAPACITY = 10_000;
    /** A listener call longer than this is worth a warning: it delays every later event. */
    static final Duration SLOW_CALL = Duration.ofMillis(500);
    /** How long {@link #close()} waits for the queued events to be delivered. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    /** Marks the end of the queue; not an event, so the queue holds plain objects. */
    private static final Object END = new Object();

    private final List<VpnListener> listeners;
    private final Duration slowCall;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    /** Events queued and not yet delivered; bounds the queue without blocking the end marker. */
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    EventDispatcher(List<VpnListener> listeners, String threadName) {
        this(listeners, threadName, SLOW_CALL);
    }

    /** With another slow-call threshold, for tests. */
    EventDispatcher(List<VpnListener> listeners, String threadName, Duration slowCall) {
        this.listeners = List.copyOf(listeners);
        this.slowCall = slowCall;
        this.thread = new Thread(this::deliverUntilEnd, threadName);
        thread.setDaemon(true);
        if (!this.listeners.isEmpty()) {
            thread.start();
        }
    }

    /** Queues the event for the listeners; drops it (counted, warned) when the queue is full or closed. */
    void fire(VpnEvent event) {
        LOG.debug("event {}", event);
        if (listeners.isEmpty()) {
            return;
        }
        if (closed) {
            LOG.debug("event {} after close: not delivered", event);
            return;
        }
        if (pending.incrementAndGet() > CAPACITY) {
            pending.decrementAndGet();
            long count = dropped.incrementAndGet();
            // Warn at the first drop and then at powers of two, so a stuck listener does not flood the log.
            if (Long.bitCount(count) == 1) {
                LOG.warn("{} events dropped so far: the listeners are {} events behind ({})", count, CAPACITY,
                        listeners);
            }
            return;
        }
        queue.add(event);
    }

    /** Events dropped because the queue was full. */
    long droppedEvents() {
        return dropped.get();
    }

    /**
     * Stops accepting events, delivers what is queued (waiting at most {@link #CLOSE_WAIT}) and stops the thread.
     * Safe to call from a listener: then it does not wait for itself.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(END);
        if (Thread.currentThread() == thread || !thread.isAlive()) {
            return;
        }
        try {
            thread.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("listeners still busy after {}: {} events not delivered", CLOSE_WAIT, pending.get());
            thread.interrupt();
        }
    }

    private void deliverUntilEnd() {
        try {
            while (true) {
                Object next = queue.take();
                if (next == END) {
                    return;
                }
                pending.decrementAndGet();
                deliver((VpnEvent) next);
            }
        } catch (InterruptedException e) {
            // close() gave up waiting for a listener: the remaining events are abandoned.
        }
    }

    private void deliver(VpnEvent event) {
        for (VpnListener listener : listeners) {
            long start = System.nanoTime();
            try {
                listener.onEvent(event);
            } catch (Exception | AssertionError e) {
                LOG.warn("listener {} failed on {}: {}", listener, event, e.toString());
            }
            long nanos = System.nanoTime() - start;
            if (nanos > slowCall.toNanos()) {
                LOG.warn("listener {} took {} ms for {}: it delays all later events; return quickly from listeners",
                        listener, TimeUnit.NANOSECONDS.toMillis(nanos), event);
            }
        }
    }
}
