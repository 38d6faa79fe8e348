package io.vpncloud.core.wire;

import io.vpncloud.api.PeerAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The address list of NodeInfo (PROTOCOL.md §7): a flags byte (bits 0–2 IPv4 count, bits 3–5 IPv6 count, the
 * other bits belong to the enclosing structure), then the IPv6 entries (16 bytes + u16 port), then the IPv4
 * entries (4 bytes + u16 port).
 *
 * <p>Like the reference, which holds every address in its IPv4-mapped IPv6 form, this writes every address as an
 * IPv6 entry, IPv4 addresses as {@code ::ffff:a.b.c.d}; decoding normalises mapped addresses back to IPv4 (see
 * {@link PeerAddress}). At most {@value #MAX_PER_FAMILY} entries are written; the rest are dropped.
 */
final class AddressList {

    /** Entries per family that fit in three flag bits. */
    static final int MAX_PER_FAMILY = 7;

    private static final int COUNT_MASK = 0x07;
    private static final int IPV6_COUNT_SHIFT = 3;
    private static final int ENTRY_LENGTH = 16 + 2;

    private AddressList() {
    }

    /** Reads the entries announced by {@code flags} (the flags byte itself has been read by the caller). */
    static List<PeerAddress> readEntries(WireReader in, int flags) throws MalformedMessageException {
        int ipv4Count = flags & COUNT_MASK;
        int ipv6Count = (flags >>> IPV6_COUNT_SHIFT) & COUNT_MASK;
        List<PeerAddress> addresses = new ArrayList<>(ipv4Count + ipv6Count);
        for (int i = 0; i < ipv6Count; i++) {
            addresses.add(readEntry(in, 16));
        }
        for (int i = 0; i < ipv4Count; i++) {
            addresses.add(readEntry(in, 4));
        }
        return List.copyOf(addresses);
    }

    /** The flags bits announcing how many entries {@link #writeEntries} writes for {@code addresses}. */
    static int countFlags(List<PeerAddress> addresses) {
        return written(addresses) << IPV6_COUNT_SHIFT;
    }

    /** Writes the entries (without the flags byte). */
    static void writeEntries(ByteBuffer out, List<PeerAddress> addresses) {
        int count = written(addresses);
        for (int i = 0; i < count; i++) {
            PeerAddress address = addresses.get(i);
            out.put(ipv6Bytes(address.address()));
            WireWriter.u16(out, address.port());
        }
    }

    /** The length of the entries (without the flags byte). */
    static int entriesLength(List<PeerAddress> addresses) {
        return written(addresses) * ENTRY_LENGTH;
    }

    private static int written(List<PeerAddress> addresses) {
        return Math.min(addresses.size(), MAX_PER_FAMILY);
    }

    private static PeerAddress readEntry(WireReader in, int addressLength) throws MalformedMessageException {
        byte[] ip = in.bytes(addressLength);
        int port = in.u16();
        try {
            return new PeerAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 and 16 are valid address lengths", e);
        }
    }

    private static byte[] ipv6Bytes(InetAddress address) {
        byte[] raw = address.getAddress();
        if (raw.length == 16) {
            return raw;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }
}
