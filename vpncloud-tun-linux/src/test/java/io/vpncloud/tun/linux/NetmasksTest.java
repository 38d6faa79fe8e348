package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NetmasksTest {

    @Test
    void knownMasks() {
        assertArrayEquals(new byte[] {0, 0, 0, 0}, Netmasks.fromPrefixLength(0));
        assertArrayEquals(new byte[] {(byte) 255, 0, 0, 0}, Netmasks.fromPrefixLength(8));
        assertArrayEquals(new byte[] {(byte) 255, (byte) 255, (byte) 240, 0}, Netmasks.fromPrefixLength(20));
        assertArrayEquals(new byte[] {(byte) 255, (byte) 255, (byte) 255, (byte) 254}, Netmasks.fromPrefixLength(31));
        assertArrayEquals(new byte[] {-1, -1, -1, -1}, Netmasks.fromPrefixLength(32));
    }

    @Test
    void everyPrefixLengthRoundTrips() {
        for (int prefix = 0; prefix <= 32; prefix++) {
            assertEquals(prefix, Netmasks.toPrefixLength(Netmasks.fromPrefixLength(prefix)));
        }
    }

    @Test
    void outOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Netmasks.fromPrefixLength(33));
        assertThrows(IllegalArgumentException.class, () -> Netmasks.fromPrefixLength(-1));
    }
}
