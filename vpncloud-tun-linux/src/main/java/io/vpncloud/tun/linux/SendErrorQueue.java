package io.vpncloud.tun.linux;

import io.vpncloud.api.SendError;

/**
 * The send errors a socket has read from the kernel and nobody has taken yet: a small ring that keeps the newest
 * {@value #CAPACITY}. Whichever thread drained the kernel's error queue (the receiver, or a sender whose call the
 * error interrupted) puts reports in; the receiving side takes them out. Both happen only when errors occur, so the
 * lock is uncontended; asking an empty queue reads one volatile field and takes no lock.
 */
final class SendErrorQueue {

    static final int CAPACITY = 64;

    private final SendError[] ring = new SendError[CAPACITY];
    private int head;
    private volatile int size;
    private long overwritten;

    /** Adds a report; when the ring is full the oldest one gives way (and is counted). */
    synchronized void put(SendError error) {
        ring[(head + size) % CAPACITY] = error;
        if (size == CAPACITY) {
            head = (head + 1) % CAPACITY;
            overwritten++;
        } else {
            size = size + 1;
        }
    }

    /** The oldest report, or null when there is none. */
    SendError poll() {
        if (size == 0) {
            return null;
        }
        synchronized (this) {
            if (size == 0) {
                return null;
            }
            SendError error = ring[head];
            ring[head] = null;
            head = (head + 1) % CAPACITY;
            size = size - 1;
            return error;
        }
    }

    /** Reports that gave way to newer ones before anybody took them. */
    synchronized long overwritten() {
        return overwritten;
    }
}
