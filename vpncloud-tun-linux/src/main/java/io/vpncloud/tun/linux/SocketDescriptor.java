package io.vpncloud.tun.linux;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.StampedLock;

/**
 * A socket's file descriptor with a close that wakes blocked calls and never pulls the number from under a
 * call in flight. Calls hold a shared (read) lock, so senders on many threads do not exclude one another;
 * {@link #close()} first shuts the socket down, which makes a blocked {@code recvmsg} return and a blocked
 * {@code sendmsg} fail, then takes the lock exclusively and only then closes the descriptor, so its number is
 * never used after it was handed back (and perhaps reused by an unrelated file).
 */
final class SocketDescriptor implements AutoCloseable {

    private final int fd;
    private final StampedLock closeLock = new StampedLock();
    private final AtomicBoolean closed = new AtomicBoolean();

    SocketDescriptor(int fd) {
        this.fd = fd;
    }

    /**
     * Starts a call on the descriptor: returns the stamp to give to {@link #leave}.
     *
     * @throws ClosedChannelException when the socket is closed or closing
     */
    long enter() throws ClosedChannelException {
        long stamp = closeLock.readLock();
        if (closed.get()) {
            closeLock.unlockRead(stamp);
            throw new ClosedChannelException();
        }
        return stamp;
    }

    void leave(long stamp) {
        closeLock.unlockRead(stamp);
    }

    /** The descriptor; only to be used between {@link #enter()} and {@link #leave}. */
    int fd() {
        return fd;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Wakes blocked calls, waits until every call has left, then closes the descriptor. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Unconnected UDP sockets answer ENOTCONN but still wake their waiters.
        SocketLibC.shutdown(fd, SocketLibC.SHUT_RDWR);
        long stamp = closeLock.writeLock();
        try {
            LibC.close(fd);
        } finally {
            closeLock.unlockWrite(stamp);
        }
    }
}
