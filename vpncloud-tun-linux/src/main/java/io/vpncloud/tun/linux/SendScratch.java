package io.vpncloud.tun.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Native memory each sending thread reuses for every {@code sendmsg}: the message header with the destination
 * and control message, and a buffer that heap {@link ByteBuffer}s are copied through. Per thread, so senders on
 * several threads need no lock; allocated once per thread, never per datagram.
 */
final class SendScratch {

    /** Room for the largest send: one datagram, or the 65,000 bytes of a segmented send. */
    static final int PACKET_CAPACITY = 65536;

    private static final ThreadLocal<SendScratch> PER_THREAD = ThreadLocal.withInitial(SendScratch::new);

    final MessageHeader header = new MessageHeader();
    private final Memory packet = new Memory(PACKET_CAPACITY);
    private final long packetAddress = Pointer.nativeValue(packet);
    private final ByteBuffer packetView = packet.getByteBuffer(0, PACKET_CAPACITY);
    private final DirectBufferAddress directAddress = new DirectBufferAddress();
    private InetSocketAddress destination;
    private int destinationFamily;

    private SendScratch() {
    }

    /** This thread's scratch memory. */
    static SendScratch current() {
        return PER_THREAD.get();
    }

    /**
     * Puts {@code to} into the header as an address of {@code family}. A peer's address object is usually sent
     * to again and again, so it is encoded only when it changes.
     */
    void setDestination(InetSocketAddress to, int family) throws IOException {
        if (to != destination || family != destinationFamily) {
            destination = null;
            header.setNameLength(Sockaddr.write(header.memory(), header.nameOffset(), to, family));
            destination = to;
            destinationFamily = family;
        }
    }

    /**
     * The native address of {@code src}'s bytes from its position: a direct buffer's own memory, or this
     * thread's buffer after copying a heap buffer into it.
     */
    long addressOf(ByteBuffer src) throws IOException {
        if (src.isDirect()) {
            return directAddress.of(src) + src.position();
        }
        int length = src.remaining();
        if (length > PACKET_CAPACITY) {
            throw new IOException("cannot send " + length + " bytes at once; the most is " + PACKET_CAPACITY);
        }
        packetView.put(0, src, src.position(), length);
        return packetAddress;
    }
}
