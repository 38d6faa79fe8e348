package io.vpncloud.api;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The node's bound UDP socket, as its data path uses it. The default implementation wraps a JDK
 * {@link java.nio.channels.DatagramChannel}; a {@link UdpSocketProvider} (such as the Linux one in
 * {@code vpncloud-tun-linux}) can add segmentation offload: many equally sized datagrams in one system call each
 * way. What travels on the wire is the same: separate datagrams.
 *
 * <p>Any thread may send; one thread receives. {@link #close()} wakes a blocked receiver, which then throws
 * {@link java.nio.channels.ClosedChannelException} (or another {@link IOException}).
 */
public interface UdpSocket extends AutoCloseable {

    /**
     * The bound local address, with the port the system chose when 0 was asked for.
     *
     * @return the local address
     * @throws IOException when the socket is closed
     */
    InetSocketAddress localAddress() throws IOException;

    /**
     * Sends {@code src} (position to limit) as one datagram and advances the position. Thread-safe.
     *
     * @param src the datagram
     * @param to the destination
     * @throws IOException when sending fails
     */
    void send(ByteBuffer src, InetSocketAddress to) throws IOException;

    /**
     * The most datagrams one {@link #sendSegments} call sends with a single system call; 1 when the socket has no
     * segmentation offload (then {@code sendSegments} costs one call per datagram).
     *
     * @return 1 or more
     */
    default int maxSegments() {
        return 1;
    }

    /**
     * Sends the bytes from {@code src}'s position to its limit as consecutive datagrams of {@code segmentSize}
     * bytes each, the last of which may be shorter, all to {@code to}; advances the position. At most
     * {@link #maxSegments()} datagrams and 65,000 bytes at once. Thread-safe.
     *
     * @param src the datagrams back to back
     * @param segmentSize the size of each datagram but the last
     * @param to the destination
     * @throws IllegalArgumentException when {@code segmentSize} is not positive or there are too many datagrams
     * @throws IOException when sending fails
     */
    default void sendSegments(ByteBuffer src, int segmentSize, InetSocketAddress to) throws IOException {
        if (segmentSize <= 0) {
            throw new IllegalArgumentException("segmentSize must be positive: " + segmentSize);
        }
        int end = src.limit();
        try {
            while (src.position() < end) {
                src.limit(Math.min(end, src.position() + segmentSize));
                send(src, to);
            }
        } finally {
            src.limit(end);
        }
    }

    /**
     * Receives into {@code dst} (from its position; the position is advanced) either one datagram or, on a
     * socket with receive offload, several datagrams of one sender placed back to back; then
     * {@link #receivedSegmentSize()} gives the size of each of them except the last, which may be shorter.
     *
     * <p>An error the network reports for an earlier send (see {@link #nextSendError()}) never makes this fail; a
     * socket that reports such errors returns null instead, also when waiting, right after it queued one, so that
     * the receiving thread learns of it without delay.
     *
     * @param dst where the datagram goes, from its position on
     * @param wait whether to block until a datagram arrives; when false and nothing is waiting, returns null
     *             at once. A socket that cannot tell without blocking may always return null when not waiting.
     * @return the sender, or null (when {@code wait} is false, or when a send error was just queued)
     * @throws IOException when the socket is closed or fails
     */
    InetSocketAddress receive(ByteBuffer dst, boolean wait) throws IOException;

    /**
     * After {@link #receive}: the size of each datagram that it placed back to back, or 0 when it received a single
     * datagram (the whole received length).
     *
     * @return the segment size, or 0
     */
    default int receivedSegmentSize() {
        return 0;
    }

    /** Bit of {@link #awaitDatagramOrPacket}: the socket has a datagram or an error report to take. */
    int DATAGRAM_READY = 1;
    /** Bit of {@link #awaitDatagramOrPacket}: the device has a packet to read. */
    int PACKET_READY = 2;

    /**
     * Whether {@link #awaitDatagramOrPacket} can wait for this socket and {@code device} at once. Then one thread can
     * serve both directions while traffic is sparse, as a single-threaded event loop does, and the node's sending
     * thread sleeps instead of waking for every packet the host answers. False by default.
     *
     * @param device the node's device
     * @return whether this socket can wait together with that device
     */
    default boolean canAwaitWith(TunDevice device) {
        return false;
    }

    /**
     * Waits until this socket has a datagram (or an error report) or {@code device} has a packet to read, and
     * takes neither; then a {@link #receive} without waiting and a {@link TunDevice#readIfReady} take them. Only
     * when {@link #canAwaitWith} is true for the device; by the socket's receiving thread. It may return 0 after a
     * signal; the caller then simply waits again.
     *
     * @param device the node's device
     * @return {@link #DATAGRAM_READY} and {@link #PACKET_READY} or-ed together: what is there (0 when neither)
     * @throws IOException when the socket or the device is closed (also while waiting) or fails
     * @throws UnsupportedOperationException when {@link #canAwaitWith} is false for the device
     */
    default int awaitDatagramOrPacket(TunDevice device) throws IOException {
        throw new UnsupportedOperationException(getClass().getName() + " cannot wait together with " + device);
    }

    /**
     * The next error the network reported for a datagram this socket sent earlier (for example ICMP "port
     * unreachable" when the process that owned the destination port died), or null when none is waiting. Reports
     * are queued by the socket as they come and kept in a small bounded queue (the oldest give way when it is full).
     * Allocation-free while nothing is queued, so the receiving thread may ask after every {@link #receive}. For one
     * thread at a time.
     *
     * <p>The default reports nothing. That is also what the JDK's sockets can do: an unconnected
     * {@link java.nio.channels.DatagramChannel} never learns of these errors (the JDK reports them only on connected
     * channels, as {@link java.net.PortUnreachableException}, and a node's socket talks to many peers).
     *
     * @return the oldest error not yet taken, or null when there is none
     */
    default SendError nextSendError() {
        return null;
    }

    @Override
    void close() throws IOException;
}
