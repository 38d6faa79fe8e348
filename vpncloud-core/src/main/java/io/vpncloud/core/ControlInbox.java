package io.vpncloud.core;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Session messages of connected peers (NodeInfo, key rotation, CLOSE) on their way from the receive thread to the
 * control thread, decrypted but not yet decoded. Bounded: when the control thread falls behind, further messages are
 * counted and dropped rather than waited for; every one of them is repeated by its sender (NodeInfo each keepalive,
 * rotation each step), and the peer's liveness does not depend on them (the receive thread marks the peer as heard
 * before handing over).
 *
 * <p>One thread offers (the receive thread), one polls (the control thread); no lock.
 */
final class ControlInbox {
    static final int CAPACITY = 4096;

    /** One decrypted session message: its type byte and its body. */
    record Message(Peer peer, int type, byte[] body) {
    }

    private final ConcurrentLinkedQueue<Message> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();

    /**
     * Copies the body's remaining bytes into the inbox unless it is full.
     *
     * @return false when it was dropped (and counted)
     */
    boolean offer(Peer peer, int type, ByteBuffer body) {
        if (size.get() >= CAPACITY) {
            dropped.increment();
            return false;
        }
        byte[] copy = new byte[body.remaining()];
        body.duplicate().get(copy);
        size.incrementAndGet();
        queue.add(new Message(peer, type, copy));
        return true;
    }

    /** The oldest waiting message, or null. */
    Message poll() {
        Message message = queue.poll();
        if (message != null) {
            size.decrementAndGet();
        }
        return message;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Messages dropped because the inbox was full. */
    long dropped() {
        return dropped.sum();
    }
}
