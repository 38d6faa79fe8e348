package io.vpncloud.core;

import io.vpncloud.api.SendError;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Error reports of the socket ({@link SendError}: ICMP errors for datagrams the node sent) on their way from the
 * receive thread, which takes them from the socket, to the control thread, which decides what they mean. Bounded:
 * when the control thread falls behind, further reports are counted and dropped rather than waited for. A dead peer
 * keeps drawing errors for as long as datagrams go to it, so a dropped report costs at most a little time.
 *
 * <p>One thread offers (the receive thread), one polls (the control thread); no lock.
 */
final class SendErrorInbox {
    static final int CAPACITY = 256;

    private final ConcurrentLinkedQueue<SendError> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();

    /** @return false when the inbox was full and the report was dropped (and counted) */
    boolean offer(SendError error) {
        if (size.get() >= CAPACITY) {
            dropped.increment();
            return false;
        }
        size.incrementAndGet();
        queue.add(error);
        return true;
    }

    /** The oldest waiting report, or null. */
    SendError poll() {
        SendError error = queue.poll();
        if (error != null) {
            size.decrementAndGet();
        }
        return error;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Reports dropped because the inbox was full. */
    long dropped() {
        return dropped.sum();
    }
}
