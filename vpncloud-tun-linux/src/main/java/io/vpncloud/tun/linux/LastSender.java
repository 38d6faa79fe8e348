package io.vpncloud.tun.linux;

import com.sun.jna.Memory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * Turns the sender's raw socket address after {@code recvmsg} into an {@link InetSocketAddress}, returning the
 * very same object while the raw bytes stay the same. Datagrams mostly come in runs from one peer, so only a
 * change of sender allocates, and callers may use identity as a cheap cache key. For one receiving thread.
 */
final class LastSender {

    private final byte[] raw = new byte[MessageHeader.NAME_CAPACITY];
    private final byte[] last = new byte[MessageHeader.NAME_CAPACITY];
    private int lastLength = -1;
    private InetSocketAddress lastAddress;

    /** The sender whose {@code length}-byte socket address is at {@code offset}. */
    InetSocketAddress decode(Memory memory, long offset, int length) throws IOException {
        int size = Math.min(length, raw.length);
        memory.read(offset, raw, 0, size);
        if (size != lastLength || !Arrays.equals(raw, 0, size, last, 0, size)) {
            lastAddress = Sockaddr.read(memory, offset);
            System.arraycopy(raw, 0, last, 0, size);
            lastLength = size;
        }
        return lastAddress;
    }
}
