package io.vpncloud.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpRangeTest {

    @Test
    void parsesRangesAndHosts() {
        assertEquals(new IpRange(new byte[] {10, 0, 0, 0}, 24), IpRange.parse("10.0.0.0/24"));
        assertEquals(new IpRange(new byte[] {10, 0, 0, 1}, 32), IpRange.parse(" 10.0.0.1 "));
        byte[] fd00 = new byte[16];
        fd00[0] = (byte) 0xfd;
        assertEquals(new IpRange(fd00, 64), IpRange.parse("fd00::/64"));
        assertEquals(new IpRange(new byte[16], 0), IpRange.parse("::/0"));
    }

    @Test
    void anIpv4MappedRangeStaysIpv6AndPrintsSoThatItParsesBack() {
        IpRange mapped = IpRange.parse("::ffff:10.0.0.0/120");
        assertEquals(16, mapped.addressLength());
        assertEquals(mapped, IpRange.parse(mapped.toString()));
    }

    /** Host names and other non-literals are errors at once; none of them is looked up. */
    @ParameterizedTest
    @ValueSource(strings = {"cafe", "1", "10.0.0.300", "localhost", "example.com/24", "", "/24", "10.0.0.0/",
            "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/0x8", "fd00::/129", "10.0.0.0/24/1",
            "10.0.0.0/0008", "aa:bb:cc:dd:ee/40", "aa:bb:cc:dd:ee:ff:00/48", "aa:bb:cc:dd:ee:fff/48",
            "aa:bb:cc:dd:ee:gg", "aa:bb:cc:dd:ee:ff/49", "vlan0/aa:bb:cc:dd:ee:ff", "vlan4096/aa:bb:cc:dd:ee:ff",
            "vlan5/10.0.0.1", "vlan5", "vlan/aa:bb:cc:dd:ee:ff", "vlan5/aa:bb:cc:dd:ee:ff/65"})
    void rejectsWhatIsNotALiteralRange(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpRange.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void parsesMacRangesInTheFormTheyPrint() {
        byte[] mac = {(byte) 0xaa, (byte) 0xbb, (byte) 0xcc, (byte) 0xdd, (byte) 0xee, 0x0f};
        assertEquals(new IpRange(mac, 48), IpRange.parse("AA:bb:cc:dd:ee:f"));
        assertEquals(new IpRange(mac, 24), IpRange.parse("aa:bb:cc:dd:ee:0f/24"));
        assertEquals("aa:bb:cc:dd:ee:0f/48", new IpRange(mac, 48).toString());
    }

    @Test
    void parsesVlanMacRangesInTheFormTheyPrint() {
        byte[] vlanMac = {0x01, 0x02, (byte) 0xaa, (byte) 0xbb, (byte) 0xcc, (byte) 0xdd, (byte) 0xee, 0x0f};
        IpRange range = IpRange.parse("vlan258/aa:bb:cc:dd:ee:0f");
        assertEquals(new IpRange(vlanMac, 64), range);
        assertEquals("vlan258/aa:bb:cc:dd:ee:0f/64", range.toString());
        assertEquals(new IpRange(vlanMac, 16), IpRange.parse("VLAN258/aa:bb:cc:dd:ee:0f/16"));
    }

    @Test
    void keepsHostBitsAsGiven() {
        assertArrayEquals(new byte[] {10, 0, 0, 7}, IpRange.parse("10.0.0.7/24").address());
    }
}
