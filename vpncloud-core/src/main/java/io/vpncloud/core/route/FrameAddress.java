package io.vpncloud.core.route;

import java.nio.ByteBuffer;

/**
 * The addresses of an Ethernet frame (PROTOCOL.md §9a) as one {@code long}, read in place without allocating.
 *
 * <p>Destination MAC = bytes 0–5, source MAC = bytes 6–11, EtherType = bytes 12–13. A frame with an 802.1Q tag
 * (EtherType {@code 0x8100}) belongs to the VLAN in the low 12 bits of bytes 14–15, and its addresses are the 8-byte
 * VLAN + MAC addresses of VLAN claims; VLAN id 0 means "no VLAN" (priority tagging) and gives the plain 6-byte
 * address. The key is {@code vlan << 48 | mac}: for an untagged frame just the MAC, for a tagged one exactly the
 * 8 bytes of its VLAN + MAC address read as a big-endian number. Frames shorter than 14 bytes (18 with a tag) have
 * no addresses: {@link #INVALID}.
 */
public final class FrameAddress {

    /** What a frame too short for its header gives; no address has it (VLAN ids have 12 bits). */
    public static final long INVALID = -1L;
    /** Bytes of an Ethernet header without and with an 802.1Q tag. */
    public static final int HEADER = 14;
    public static final int TAGGED_HEADER = 18;
    private static final int ETHER_TYPE_OFFSET = 12;
    private static final int VLAN_TAG = 0x8100;
    private static final int VLAN_ID_MASK = 0x0FFF;
    private static final int SOURCE_OFFSET = 6;
    private static final long MAC_MASK = 0xFFFF_FFFF_FFFFL;
    /** The group bit: the least significant bit of the first byte of a MAC address. */
    private static final long GROUP_BIT = 1L << 40;

    private FrameAddress() {
    }

    /**
     * The destination of the frame between the buffer's position and limit; the buffer is not changed.
     *
     * @return the address key, or {@link #INVALID} for a frame too short for its header
     */
    public static long destination(ByteBuffer frame) {
        return address(frame, 0);
    }

    /**
     * The source of the frame between the buffer's position and limit; the buffer is not changed.
     *
     * @return the address key, or {@link #INVALID} for a frame too short for its header
     */
    public static long source(ByteBuffer frame) {
        return address(frame, SOURCE_OFFSET);
    }

    private static long address(ByteBuffer frame, int offset) {
        int start = frame.position();
        int length = frame.limit() - start;
        if (length < HEADER) {
            return INVALID;
        }
        long mac = mac(frame, start + offset);
        if (BigEndian.unsignedShort(frame, start + ETHER_TYPE_OFFSET) != VLAN_TAG) {
            return mac;
        }
        if (length < TAGGED_HEADER) {
            return INVALID;
        }
        long vlan = BigEndian.unsignedShort(frame, start + HEADER) & VLAN_ID_MASK;
        return vlan << 48 | mac;
    }

    /** The VLAN id of an address key; 0 for an untagged address. */
    public static int vlan(long address) {
        return (int) (address >>> 48);
    }

    /** The 48-bit MAC address of an address key. */
    public static long mac(long address) {
        return address & MAC_MASK;
    }

    /** Whether the MAC address is a group (multicast or broadcast) address, which no single peer sits behind. */
    public static boolean isMulticast(long address) {
        return (address & GROUP_BIT) != 0;
    }

    /** The address key as text: {@code aa:bb:cc:dd:ee:ff}, or {@code vlan5/aa:bb:cc:dd:ee:ff} in a VLAN. */
    public static String toString(long address) {
        if (address == INVALID) {
            return "invalid";
        }
        StringBuilder text = new StringBuilder(24);
        if (vlan(address) != 0) {
            text.append("vlan").append(vlan(address)).append('/');
        }
        for (int shift = 40; shift >= 0; shift -= 8) {
            int b = (int) (address >>> shift) & 0xFF;
            text.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
            if (shift > 0) {
                text.append(':');
            }
        }
        return text.toString();
    }

    private static long mac(ByteBuffer frame, int index) {
        return (long) BigEndian.unsignedShort(frame, index) << 32 | BigEndian.intAt(frame, index + 2) & 0xFFFF_FFFFL;
    }
}
