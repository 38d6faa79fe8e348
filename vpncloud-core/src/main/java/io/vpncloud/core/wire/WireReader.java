package io.vpncloud.core.wire;

import java.nio.ByteBuffer;

/**
 * Big-endian reads from a {@link ByteBuffer} that raise {@link MalformedMessageException} instead of buffer
 * exceptions. Every length is checked against the bytes actually left before anything is allocated, so a
 * length field can never drive a large allocation.
 */
final class WireReader {

    private final ByteBuffer buffer;

    WireReader(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    boolean hasRemaining() {
        return buffer.hasRemaining();
    }

    int remaining() {
        return buffer.remaining();
    }

    int position() {
        return buffer.position();
    }

    int u8() throws MalformedMessageException {
        require(1);
        return buffer.get() & 0xFF;
    }

    int u16() throws MalformedMessageException {
        require(2);
        return (buffer.get() & 0xFF) << 8 | (buffer.get() & 0xFF);
    }

    long u32() throws MalformedMessageException {
        require(4);
        long value = 0;
        for (int i = 0; i < 4; i++) {
            value = value << 8 | (buffer.get() & 0xFF);
        }
        return value;
    }

    long u64() throws MalformedMessageException {
        require(8);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | (buffer.get() & 0xFF);
        }
        return value;
    }

    float f32() throws MalformedMessageException {
        return Float.intBitsToFloat((int) u32());
    }

    byte[] bytes(int length) throws MalformedMessageException {
        require(length);
        byte[] result = new byte[length];
        buffer.get(result);
        return result;
    }

    /** The next {@code length} bytes as a reader of their own; this reader moves past them. */
    WireReader slice(int length) throws MalformedMessageException {
        require(length);
        ByteBuffer part = buffer.slice(buffer.position(), length);
        buffer.position(buffer.position() + length);
        return new WireReader(part);
    }

    /** Copies the bytes between two absolute positions of the underlying buffer. */
    byte[] copyRange(int from, int to) {
        byte[] result = new byte[to - from];
        buffer.get(from, result);
        return result;
    }

    /** This reader, after checking that exactly {@code length} bytes are left in it. */
    WireReader exactly(int length, String what) throws MalformedMessageException {
        if (buffer.remaining() != length) {
            throw new MalformedMessageException(what + " has " + buffer.remaining() + " bytes, expected " + length);
        }
        return this;
    }

    void requireEnd(String what) throws MalformedMessageException {
        if (buffer.hasRemaining()) {
            throw new MalformedMessageException(buffer.remaining() + " unexpected bytes after " + what);
        }
    }

    private void require(int length) throws MalformedMessageException {
        if (length > buffer.remaining()) {
            throw new MalformedMessageException("truncated message: need " + length + " bytes, have "
                    + buffer.remaining());
        }
    }
}
