package io.vpncloud.tun.linux;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wakes the receiving thread when a sending thread took ICMP error reports off the socket. The kernel marks the
 * socket with a pending error that ends the next {@code recvmsg} <em>or</em> {@code sendmsg}: when a send sees it
 * first, the receiver stays blocked in {@code recvmsg}, and the reports would wait for the next datagram to arrive,
 * however long that takes. So the sender then sends an empty datagram to the socket itself; the receiver takes it as
 * "look at the reports" and returns null, as after a report it met itself. One is on its way at a time (another may
 * go once {@link #RETRY_NANOS} passed, in case one got lost).
 */
final class ReceiverWake {
    static final long RETRY_NANOS = 100_000_000L;

    private final InetSocketAddress target;
    /** When the wake-up on its way was sent ({@link System#nanoTime()}), or 0. */
    private final AtomicLong sentAt = new AtomicLong();

    /** @param local the socket's bound address; a wildcard address is reached through loopback */
    ReceiverWake(InetSocketAddress local) {
        this.target = local.getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), local.getPort()) : local;
    }

    /** Where the wake-up goes: the socket itself. */
    InetSocketAddress target() {
        return target;
    }

    /** Whether the calling sender should send a wake-up now; if so, it is counted as on its way. */
    boolean claim() {
        long now = System.nanoTime();
        long sent = sentAt.get();
        return (sent == 0 || now - sent > RETRY_NANOS) && sentAt.compareAndSet(sent, now == 0 ? 1 : now);
    }

    /** The wake-up could not be sent. */
    void failed() {
        sentAt.set(0);
    }

    /**
     * Whether a received datagram is a wake-up: empty, from this socket's own port on a loopback address or on the
     * bound address (the node's own wake-ups to its socket count as well). If so, none is on its way any more.
     */
    boolean isWake(int length, InetSocketAddress sender) {
        if (length != 0 || sender.getPort() != target.getPort()) {
            return false;
        }
        InetAddress address = sender.getAddress();
        if (!address.isLoopbackAddress() && !address.equals(target.getAddress())) {
            return false;
        }
        sentAt.set(0);
        return true;
    }
}
