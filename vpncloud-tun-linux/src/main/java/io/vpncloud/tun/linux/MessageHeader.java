package io.vpncloud.tun.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * One {@code struct msghdr} for {@code sendmsg}/{@code recvmsg} in native memory, with room for the peer's
 * socket address, a single {@code struct iovec} and a few control messages, all in one block allocated once and
 * reused for every call (64-bit layout).
 *
 * <pre>
 * struct msghdr { void *name; socklen_t namelen; struct iovec *iov; size_t iovlen;
 *                 void *control; size_t controllen; int flags; }            56 bytes
 * struct iovec  { void *base; size_t len; }                                16 bytes
 * struct cmsghdr { size_t len; int level; int type; data... }              16 bytes + data
 * </pre>
 */
final class MessageHeader {

    /** Large enough for {@code struct sockaddr_storage}. */
    static final int NAME_CAPACITY = 128;
    /** Control room of the data path's headers: one segment-size control message. */
    static final int CONTROL_CAPACITY = 64;
    static final int CMSG_HEADER_SIZE = 16;

    /** Offsets in {@code struct msghdr} (also the start of {@code struct mmsghdr}, see MessageBatch). */
    static final int NAME_POINTER = 0;
    static final int NAME_LENGTH = 8;
    static final int IOV_POINTER = 16;
    static final int IOV_LENGTH = 24;
    static final int CONTROL_POINTER = 32;
    static final int CONTROL_LENGTH = 40;
    static final int FLAGS = 48;
    private static final int IOV = 56;
    private static final int IOV_BASE = IOV;
    private static final int IOV_BYTES = IOV + 8;
    private static final int NAME = IOV + 16;
    private static final int CONTROL = NAME + NAME_CAPACITY;

    private final int controlCapacity;
    private final Memory memory;
    private final long address;

    MessageHeader() {
        this(CONTROL_CAPACITY);
    }

    /** A header with room for {@code controlCapacity} bytes of control messages. */
    MessageHeader(int controlCapacity) {
        this.controlCapacity = controlCapacity;
        this.memory = new Memory(CONTROL + controlCapacity);
        this.address = Pointer.nativeValue(memory);
        memory.clear();
        memory.setLong(NAME_POINTER, address + NAME);
        memory.setLong(IOV_POINTER, address + IOV);
        memory.setLong(IOV_LENGTH, 1);
        memory.setLong(CONTROL_POINTER, address + CONTROL);
    }

    /** The address to pass to {@code sendmsg}/{@code recvmsg}. */
    long address() {
        return address;
    }

    /** The whole block; the socket address starts at {@link #nameOffset()}, control data at {@link #controlOffset()}. */
    Memory memory() {
        return memory;
    }

    int nameOffset() {
        return NAME;
    }

    int controlOffset() {
        return CONTROL;
    }

    /** The bytes of control messages this header has room for. */
    int controlCapacity() {
        return controlCapacity;
    }

    /** Points the single iovec at {@code length} bytes at native {@code bufferAddress}. */
    void setBuffer(long bufferAddress, int length) {
        memory.setLong(IOV_BASE, bufferAddress);
        memory.setLong(IOV_BYTES, length);
    }

    void setNameLength(int length) {
        memory.setInt(NAME_LENGTH, length);
    }

    int nameLength() {
        return memory.getInt(NAME_LENGTH);
    }

    void setControlLength(int length) {
        memory.setLong(CONTROL_LENGTH, length);
    }

    int controlLength() {
        return (int) memory.getLong(CONTROL_LENGTH);
    }

    /** The flags {@code recvmsg} returned, such as {@link SocketLibC#MSG_TRUNC}. */
    int flags() {
        return memory.getInt(FLAGS);
    }

    /** Writes the only control message, with a 16-bit value, and sets the control length to cover it. */
    void setShortControlMessage(int level, int type, short value) {
        memory.setLong(CONTROL, CMSG_HEADER_SIZE + Short.BYTES);
        memory.setInt(CONTROL + 8, level);
        memory.setInt(CONTROL + 12, type);
        memory.setShort(CONTROL + CMSG_HEADER_SIZE, value);
        setControlLength(align(CMSG_HEADER_SIZE + Short.BYTES));
    }

    /**
     * After {@code recvmsg}: the 32-bit value of the control message {@code level}/{@code type}, or
     * {@code absent} when the kernel sent none.
     */
    int intControlMessage(int level, int type, int absent) {
        return intControlMessage(memory, CONTROL, Math.min(controlLength(), controlCapacity), level, type, absent);
    }

    /**
     * The 32-bit value of the control message {@code level}/{@code type} among the {@code length} bytes of control
     * messages at {@code control} in {@code memory}, or {@code absent} when there is none.
     */
    static int intControlMessage(Memory memory, long control, int length, int level, int type, int absent) {
        int offset = 0;
        while (offset + CMSG_HEADER_SIZE <= length) {
            long messageLength = memory.getLong(control + offset);
            if (messageLength < CMSG_HEADER_SIZE || offset + messageLength > length) {
                return absent;
            }
            if (memory.getInt(control + offset + 8) == level && memory.getInt(control + offset + 12) == type
                    && messageLength >= CMSG_HEADER_SIZE + Integer.BYTES) {
                return memory.getInt(control + offset + CMSG_HEADER_SIZE);
            }
            offset += align((int) messageLength);
        }
        return absent;
    }

    /** {@code CMSG_ALIGN}: control messages start on 8-byte boundaries. */
    static int align(int length) {
        return (length + 7) & ~7;
    }
}
