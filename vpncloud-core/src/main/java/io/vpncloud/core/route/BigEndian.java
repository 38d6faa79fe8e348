package io.vpncloud.core.route;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Network-order reads at absolute indexes of a buffer whatever the buffer's own byte order, for the data path's
 * header lookups (which must neither allocate nor change the caller's buffer).
 */
final class BigEndian {

    private BigEndian() {
    }

    /** The unsigned 16-bit value at {@code index}. */
    static int unsignedShort(ByteBuffer buffer, int index) {
        short value = buffer.getShort(index);
        return (buffer.order() == ByteOrder.BIG_ENDIAN ? value : Short.reverseBytes(value)) & 0xFFFF;
    }

    static int intAt(ByteBuffer buffer, int index) {
        int value = buffer.getInt(index);
        return buffer.order() == ByteOrder.BIG_ENDIAN ? value : Integer.reverseBytes(value);
    }

    static long longAt(ByteBuffer buffer, int index) {
        long value = buffer.getLong(index);
        return buffer.order() == ByteOrder.BIG_ENDIAN ? value : Long.reverseBytes(value);
    }
}
