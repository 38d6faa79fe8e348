package io.vpncloud.core.wire;

import java.nio.ByteBuffer;

/** Big-endian writes that do not depend on the byte order set on the target buffer. */
final class WireWriter {

    private WireWriter() {
    }

    static void u8(ByteBuffer out, int value) {
        out.put((byte) value);
    }

    static void u16(ByteBuffer out, int value) {
        out.put((byte) (value >>> 8)).put((byte) value);
    }

    static void u32(ByteBuffer out, long value) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.put((byte) (value >>> shift));
        }
    }

    static void u64(ByteBuffer out, long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.put((byte) (value >>> shift));
        }
    }

    static void f32(ByteBuffer out, float value) {
        u32(out, Float.floatToRawIntBits(value));
    }

    /** Writes a part or field header: id u8 and length u16. */
    static void header(ByteBuffer out, int id, int length) {
        u8(out, id);
        u16(out, length);
    }
}
