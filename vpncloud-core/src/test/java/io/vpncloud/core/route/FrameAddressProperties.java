package io.vpncloud.core.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vpncloud.api.IpRange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Reading the addresses of Ethernet frames: random frames, with and without an 802.1Q tag, in buffers of either
 * byte order and at any position. Expected addresses come from the frame's bytes as text and go through
 * {@link IpRange#parse} and a claim in a {@link ClaimRouter}, so the key is checked against the claim addresses of
 * the protocol rather than against its own arithmetic.
 */
class FrameAddressProperties {
    private static final HexFormat MAC_TEXT = HexFormat.ofDelimiter(":");

    @Property
    void anUntaggedFrameIsAddressedByItsMacAddresses(@ForAll("untaggedFrames") byte[] frame,
                                                    @ForAll @IntRange(max = 7) int offset,
                                                    @ForAll boolean littleEndian) {
        ByteBuffer buffer = placed(frame, offset, littleEndian);

        long destination = FrameAddress.destination(buffer);
        long source = FrameAddress.source(buffer);

        assertEquals(0, FrameAddress.vlan(destination));
        assertEquals(macText(frame, 0), FrameAddress.toString(destination));
        assertEquals(macText(frame, 6), FrameAddress.toString(source));
        assertEquals("dst", routed(destination, macText(frame, 0) + "/48"));
        assertEquals(offset, buffer.position(), "the buffer is not moved");
    }

    @Property
    void aTaggedFrameIsAddressedByVlanAndMac(@ForAll("taggedFrames") byte[] frame,
                                             @ForAll @IntRange(max = 7) int offset,
                                             @ForAll boolean littleEndian) {
        ByteBuffer buffer = placed(frame, offset, littleEndian);
        int vlan = ((frame[14] & 0xFF) << 8 | frame[15] & 0xFF) & 0x0FFF;

        long destination = FrameAddress.destination(buffer);
        long source = FrameAddress.source(buffer);

        assertEquals(vlan, FrameAddress.vlan(destination));
        assertEquals(vlan, FrameAddress.vlan(source));
        String prefix = vlan == 0 ? "" : "vlan" + vlan + "/";
        assertEquals(prefix + macText(frame, 0), FrameAddress.toString(destination));
        assertEquals(prefix + macText(frame, 6), FrameAddress.toString(source));
        String claim = vlan == 0 ? macText(frame, 0) + "/48" : prefix + macText(frame, 0) + "/64";
        assertEquals("dst", routed(destination, claim));
    }

    @Property
    void aVlanClaimDoesNotCatchTheSameMacOutsideItsVlan(@ForAll("taggedFrames") byte[] frame) {
        int vlan = ((frame[14] & 0xFF) << 8 | frame[15] & 0xFF) & 0x0FFF;
        Assume.that(vlan != 0);
        ClaimRouter<String> router = new ClaimRouter<>();
        router.setClaims("untagged", List.of(IpRange.parse(macText(frame, 0) + "/48")));
        router.setClaims("other-vlan", List.of(IpRange.parse("vlan" + (vlan % 4095 + 1) + "/" + macText(frame, 0)
                + "/64")));

        assertNull(router.lookupFrame(FrameAddress.destination(ByteBuffer.wrap(frame))));
    }

    @Property
    void framesTooShortForTheirHeaderHaveNoAddress(@ForAll("shortFrames") byte[] frame,
                                                   @ForAll boolean littleEndian) {
        ByteBuffer buffer = placed(frame, 3, littleEndian);

        assertEquals(FrameAddress.INVALID, FrameAddress.destination(buffer));
        assertEquals(FrameAddress.INVALID, FrameAddress.source(buffer));
        assertNull(new ClaimRouter<String>().lookupFrame(FrameAddress.INVALID));
    }

    @Example
    void theGroupBitMarksMulticastAndBroadcast() {
        assertEquals(true, FrameAddress.isMulticast(destinationOf("ff:ff:ff:ff:ff:ff")));
        assertEquals(true, FrameAddress.isMulticast(destinationOf("01:00:5e:00:00:fb")));
        assertEquals(true, FrameAddress.isMulticast(destinationOf("33:33:00:00:00:01")));
        assertEquals(false, FrameAddress.isMulticast(destinationOf("02:00:00:00:00:01")));
        assertEquals(false, FrameAddress.isMulticast(destinationOf("fe:ff:ff:ff:ff:ff")));
    }

    @Example
    void aShorterClaimCoversAWholeVendorPrefix() {
        ClaimRouter<String> router = new ClaimRouter<>();
        router.setClaims("vendor", List.of(IpRange.parse("52:54:00:00:00:00/24")));
        router.setClaims("host", List.of(IpRange.parse("52:54:00:12:34:56/48")));

        assertEquals("vendor", router.lookupFrame(destinationOf("52:54:00:aa:bb:cc")));
        assertEquals("host", router.lookupFrame(destinationOf("52:54:00:12:34:56")));
        assertNull(router.lookupFrame(destinationOf("52:55:00:12:34:56")));
    }

    @Example
    void readingAddressesAndLookingThemUpAllocatesNothing() {
        ClaimRouter<String> router = new ClaimRouter<>();
        router.setClaims("mac", List.of(IpRange.parse("52:54:00:12:34:56/48")));
        router.setClaims("vlan", List.of(IpRange.parse("vlan5/52:54:00:12:34:56/64")));
        ByteBuffer untagged = ByteBuffer.allocateDirect(64);
        untagged.put(MAC_TEXT.parseHex("52:54:00:12:34:56")).put(new byte[6]).putShort((short) 0x0800).clear();
        ByteBuffer tagged = ByteBuffer.allocate(64);
        tagged.put(MAC_TEXT.parseHex("52:54:00:12:34:56")).put(new byte[6]).putShort((short) 0x8100)
                .putShort((short) 5).clear();

        long allocated = io.vpncloud.core.testing.AllocationMeter.bytesAllocatedBy(() -> {
            for (int i = 0; i < 100_000; i++) {
                router.lookupFrame(FrameAddress.destination(untagged));
                router.lookupFrame(FrameAddress.destination(tagged));
                FrameAddress.source(tagged);
            }
        });

        assertEquals("vlan", router.lookupFrame(FrameAddress.destination(tagged)));
        // One allocation per frame would be at least 16 bytes each, 3.2 MB in all.
        org.junit.jupiter.api.Assertions.assertTrue(allocated < 64 * 1024, allocated + " bytes allocated");
    }

    /** Claims {@code claim} for "dst" and checks the router sends the frame's destination there. */
    private static String routed(long destination, String claim) {
        ClaimRouter<String> router = new ClaimRouter<>();
        router.setClaims("dst", List.of(IpRange.parse(claim)));
        router.setClaims("ipv4-catch-all", List.of(IpRange.parse("0.0.0.0/0")));
        return router.lookupFrame(destination);
    }

    private static long destinationOf(String mac) {
        byte[] frame = new byte[60];
        System.arraycopy(MAC_TEXT.parseHex(mac), 0, frame, 0, 6);
        frame[12] = 0x08;
        return FrameAddress.destination(ByteBuffer.wrap(frame));
    }

    private static String macText(byte[] frame, int offset) {
        return MAC_TEXT.formatHex(frame, offset, offset + 6);
    }

    /** The frame at {@code offset} in a larger buffer of the given byte order, with garbage behind its end. */
    private static ByteBuffer placed(byte[] frame, int offset, boolean littleEndian) {
        byte[] backing = new byte[offset + frame.length + 8];
        java.util.Arrays.fill(backing, (byte) 0x81);
        System.arraycopy(frame, 0, backing, offset, frame.length);
        ByteBuffer buffer = ByteBuffer.wrap(backing, offset, frame.length);
        return buffer.order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    }

    @Provide
    Arbitrary<byte[]> untaggedFrames() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(14).ofMaxSize(80)
                .filter(f -> !(f[12] == (byte) 0x81 && f[13] == 0));
    }

    @Provide
    Arbitrary<byte[]> taggedFrames() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(18).ofMaxSize(80).map(f -> {
            f[12] = (byte) 0x81;
            f[13] = 0;
            return f;
        });
    }

    /** Under 14 bytes, or tagged and under 18. */
    @Provide
    Arbitrary<byte[]> shortFrames() {
        Arbitrary<byte[]> untagged = Arbitraries.bytes().array(byte[].class).ofMaxSize(13);
        Arbitrary<byte[]> tagged = Arbitraries.bytes().array(byte[].class).ofMinSize(14).ofMaxSize(17).map(f -> {
            f[12] = (byte) 0x81;
            f[13] = 0;
            return f;
        });
        return Arbitraries.oneOf(untagged, tagged);
    }
}
