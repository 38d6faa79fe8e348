package io.vpncloud.core;

import io.vpncloud.api.PeerAddress;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Init messages (handshakes) on their way from the receive thread to the control thread. A handshake step costs the
 * control thread signature checks and a key exchange, so a flood of them must neither delay data (the receive thread
 * only copies and enqueues them, never waits) nor crowd out other senders: the queue is bounded in all and per source
 * IP address, and what does not fit is counted and dropped. An honest initiator resends its message every second.
 *
 * <p>One thread offers (the receive thread), one polls (the control thread); no lock.
 */
final class InitQueue {
    /** Init messages waiting in all: at roughly a thousand handshake steps per second, about a second of work. */
    static final int CAPACITY = 1024;
    /**
     * Init messages waiting per source IP address. Many honest nodes may share an address (behind one NAT, or on one
     * host), so this is not tiny; a single flooding address still gets only a small share of the queue.
     */
    static final int PER_SOURCE = 32;

    /** One init message and its sender. */
    record Entry(PeerAddress from, byte[] datagram) {
    }

    private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final Map<InetAddress, Integer> perSource = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();
    private final int capacity;
    private final int perSourceLimit;

    InitQueue() {
        this(CAPACITY, PER_SOURCE);
    }

    InitQueue(int capacity, int perSourceLimit) {
        this.capacity = capacity;
        this.perSourceLimit = perSourceLimit;
    }

    /**
     * Copies the datagram's remaining bytes into the queue unless the queue or the sender's share is full.
     *
     * @return false when it was dropped (and counted)
     */
    boolean offer(PeerAddress from, ByteBuffer datagram) {
        if (size.get() >= capacity) {
            dropped.increment();
            return false;
        }
        InetAddress source = from.address();
        if (perSource.merge(source, 1, Integer::sum) > perSourceLimit) {
            release(source);
            dropped.increment();
            return false;
        }
        byte[] copy = new byte[datagram.remaining()];
        datagram.duplicate().get(copy);
        size.incrementAndGet();
        queue.add(new Entry(from, copy));
        return true;
    }

    /** The oldest waiting init message, or null. */
    Entry poll() {
        Entry entry = queue.poll();
        if (entry != null) {
            size.decrementAndGet();
            release(entry.from().address());
        }
        return entry;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Init messages dropped because the queue or their sender's share was full. */
    long dropped() {
        return dropped.sum();
    }

    private void release(InetAddress source) {
        perSource.computeIfPresent(source, (address, count) -> count == 1 ? null : count - 1);
    }
}
