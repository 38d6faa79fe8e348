package io.vpncloud.core.wire;

import io.vpncloud.api.IpRange;

import java.nio.ByteBuffer;

/** An address range on the wire: {@code addr_len u8, addr[addr_len], prefix_len u8} (PROTOCOL.md §7). */
final class RangeCodec {
    private RangeCodec() {
    }

    static IpRange read(WireReader in) throws MalformedMessageException {
        int addressLength = in.u8();
        if (addressLength != 4 && addressLength != 16 && addressLength != 6 && addressLength != 8) {
            throw new MalformedMessageException("claim address length " + addressLength + " is not 4, 16, 6 or 8");
        }
        byte[] address = in.bytes(addressLength);
        int prefixLength = in.u8();
        if (prefixLength > addressLength * 8) {
            throw new MalformedMessageException("claim prefix length " + prefixLength + " exceeds "
                    + addressLength * 8);
        }
        return new IpRange(address, prefixLength);
    }

    static void write(ByteBuffer out, IpRange range) {
        WireWriter.u8(out, range.addressLength());
        out.put(range.address());
        WireWriter.u8(out, range.prefixLength());
    }

    static int length(IpRange range) {
        return 1 + range.addressLength() + 1;
    }
}
