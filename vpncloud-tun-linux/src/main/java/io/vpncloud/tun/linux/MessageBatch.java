package io.vpncloud.tun.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * The {@code struct mmsghdr} array of one {@code recvmmsg} in native memory: {@link #SLOTS} messages, each with its
 * own iovec, room for the sender's socket address and control messages, and a data slot large enough for a whole
 * receive-offload batch. Allocated once per receiver and reused for every call (64-bit layout).
 *
 * <pre>
 * struct mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; }   56 + 4 (+ 4 padding) = 64 bytes
 * </pre>
 */
final class MessageBatch {

    /**
     * Messages per system call. Eight cuts the calls of a stream of single datagrams (no receive offload, as off a
     * real network card) eightfold, at 512 KiB of native memory per socket.
     */
    static final int SLOTS = 8;
    /** Bytes a slot can take: a whole 64 KiB receive-offload batch. */
    static final int SLOT_CAPACITY = 65536;

    private static final int MMSGHDR_SIZE = 64;
    // struct mmsghdr is a struct msghdr (MessageHeader's offsets) followed by the received length.
    private static final int NAME_POINTER = MessageHeader.NAME_POINTER;
    private static final int NAME_LENGTH = MessageHeader.NAME_LENGTH;
    private static final int IOV_POINTER = MessageHeader.IOV_POINTER;
    private static final int IOV_LENGTH = MessageHeader.IOV_LENGTH;
    private static final int CONTROL_POINTER = MessageHeader.CONTROL_POINTER;
    private static final int CONTROL_LENGTH = MessageHeader.CONTROL_LENGTH;
    private static final int FLAGS = MessageHeader.FLAGS;
    private static final int MESSAGE_LENGTH = 56;

    private static final int IOVEC_SIZE = 16;
    private static final int EXTRA_SIZE = IOVEC_SIZE + MessageHeader.NAME_CAPACITY + MessageHeader.CONTROL_CAPACITY;
    private static final int EXTRAS = SLOTS * MMSGHDR_SIZE;

    private final Memory headers = new Memory(EXTRAS + (long) SLOTS * EXTRA_SIZE);
    private final long headersAddress = Pointer.nativeValue(headers);
    private final Memory data = new Memory((long) SLOTS * SLOT_CAPACITY);
    private final ByteBuffer dataView = data.getByteBuffer(0, (long) SLOTS * SLOT_CAPACITY);

    MessageBatch() {
        headers.clear();
        long dataAddress = Pointer.nativeValue(data);
        for (int i = 0; i < SLOTS; i++) {
            long header = (long) i * MMSGHDR_SIZE;
            long iovec = iovecOffset(i);
            headers.setLong(iovec, dataAddress + (long) i * SLOT_CAPACITY);
            headers.setLong(iovec + 8, SLOT_CAPACITY);
            headers.setLong(header + NAME_POINTER, headersAddress + nameOffset(i));
            headers.setLong(header + IOV_POINTER, headersAddress + iovec);
            headers.setLong(header + IOV_LENGTH, 1);
            headers.setLong(header + CONTROL_POINTER, headersAddress + controlOffset(i));
        }
    }

    /** The address to pass to {@code recvmmsg}. */
    long address() {
        return headersAddress;
    }

    /** Resets the name and control lengths, which the kernel overwrote, before the next call. */
    void prepare() {
        for (int i = 0; i < SLOTS; i++) {
            long header = (long) i * MMSGHDR_SIZE;
            headers.setInt(header + NAME_LENGTH, MessageHeader.NAME_CAPACITY);
            headers.setLong(header + CONTROL_LENGTH, MessageHeader.CONTROL_CAPACITY);
        }
    }

    /** Bytes received into message {@code i}. */
    int length(int i) {
        return headers.getInt((long) i * MMSGHDR_SIZE + MESSAGE_LENGTH);
    }

    /** The flags the kernel returned for message {@code i}, such as {@link SocketLibC#MSG_TRUNC}. */
    int flags(int i) {
        return headers.getInt((long) i * MMSGHDR_SIZE + FLAGS);
    }

    /** The memory holding the socket addresses: message {@code i}'s is at {@link #nameOffset(int)}. */
    Memory headers() {
        return headers;
    }

    long nameOffset(int i) {
        return iovecOffset(i) + IOVEC_SIZE;
    }

    int nameLength(int i) {
        return headers.getInt((long) i * MMSGHDR_SIZE + NAME_LENGTH);
    }

    /** The 32-bit value of control message {@code level}/{@code type} of message {@code i}, or {@code absent}. */
    int intControlMessage(int i, int level, int type, int absent) {
        int length = (int) Math.min(headers.getLong((long) i * MMSGHDR_SIZE + CONTROL_LENGTH),
                MessageHeader.CONTROL_CAPACITY);
        return MessageHeader.intControlMessage(headers, controlOffset(i), length, level, type, absent);
    }

    /** All slots' data; message {@code i}'s bytes start at {@link #dataOffset(int)}. */
    ByteBuffer data() {
        return dataView;
    }

    static int dataOffset(int i) {
        return i * SLOT_CAPACITY;
    }

    private static long iovecOffset(int i) {
        return EXTRAS + (long) i * EXTRA_SIZE;
    }

    private static long controlOffset(int i) {
        return iovecOffset(i) + IOVEC_SIZE + MessageHeader.NAME_CAPACITY;
    }
}
