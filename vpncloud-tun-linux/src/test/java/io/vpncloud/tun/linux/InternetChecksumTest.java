package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class InternetChecksumTest {

    /** How the bytes are held; the caller's byte order must not matter. */
    enum Holder {
        HEAP, HEAP_LITTLE_ENDIAN, HEAP_SLICE, DIRECT;

        ByteBuffer of(byte[] bytes) {
            if (this == HEAP_SLICE) {
                // A view into a larger array: the checksum must start at the slice's offset in the array.
                ByteBuffer larger = ByteBuffer.allocate(bytes.length + 3);
                larger.position(3);
                ByteBuffer slice = larger.slice();
                slice.put(bytes).clear();
                return slice;
            }
            ByteBuffer buffer = this == DIRECT ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(bytes.length);
            buffer.put(bytes).clear();
            return this == HEAP_LITTLE_ENDIAN ? buffer.order(ByteOrder.LITTLE_ENDIAN) : buffer;
        }
    }

    @Property(tries = 300)
    void checksumOfAnyRangeMatchesTheReference(@ForAll @Size(max = 3000) byte[] bytes, @ForAll Holder holder,
            @ForAll @IntRange(max = 3000) int from, @ForAll @IntRange(max = 3000) int to,
            @ForAll @IntRange(max = 0xFFFF) int initial) {
        int start = Math.min(from, bytes.length);
        int end = Math.max(start, Math.min(to, bytes.length));

        long sum = InternetChecksum.sum(holder.of(bytes), start, end, initial);

        assertEquals(ReferenceChecksum.checksum(bytes, start, end - start, initial), InternetChecksum.finish(sum));
        // 0 and 0xFFFF are the same number in one's complement.
        assertEquals(ReferenceChecksum.sum(bytes, start, end - start, initial) % 0xFFFF,
                InternetChecksum.fold(sum) % 0xFFFF);
    }

    @Property(tries = 200)
    void pseudoHeaderSumMatchesTheReference(@ForAll boolean ipv4, @ForAll @Size(40) byte[] header,
            @ForAll @IntRange(max = 0xFFFF) int transportLength, @ForAll Holder holder) {
        header[0] = (byte) (ipv4 ? 0x45 : 0x60);

        long sum = InternetChecksum.pseudoHeaderSum(holder.of(header), 0, 6, transportLength);

        assertEquals(ReferenceChecksum.pseudoHeaderSum(header, 6, transportLength) % 0xFFFF,
                InternetChecksum.fold(sum) % 0xFFFF);
    }
}
