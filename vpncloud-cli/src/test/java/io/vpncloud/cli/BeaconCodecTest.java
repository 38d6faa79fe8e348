package io.vpncloud.cli;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Beacons in the reference's format. The expected texts were computed by a separate implementation of the
 * reference's algorithm (SHA-512 key streams, base62), which reproduces the beacons of the reference's own tests
 * (password "mysecretkey", hour 2000) that head this class.
 */
class BeaconCodecTest {
    private static final long HOUR = 2000;
    private static final BeaconCodec CODEC = new BeaconCodec("mysecretkey");
    private static final List<InetSocketAddress> TWO_V4 = List.of(address("1.2.3.4", 5678), address("6.6.6.6", 53));
    private static final String TWO_V4_BEACON = "WsHI31EWDMBYxvITiILIrm2k9gEik22E";

    private static InetSocketAddress address(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    private static List<InetSocketAddress> decode(String text) {
        return CODEC.decode(text, OptionalInt.empty(), HOUR);
    }

    @Test
    void encodesAsTheReference() {
        assertEquals(TWO_V4_BEACON, CODEC.encode(TWO_V4, HOUR));
        assertEquals("WsHI3GXKaXCveo6uejmZizZ72kR6Y0L9T7h49TXONp1ugfKvvvEik22E",
                CODEC.encode(List.of(address("1.2.3.4", 5678), address("6.6.6.6", 53), address("::1", 5678)), HOUR));
        assertEquals("WsHI32gm9eMSHP3Lm1GXcdP7rD3ik22E",
                CODEC.encode(List.of(address("1.2.3.4", 5678), address("6.6.6.6", 54)), HOUR));
    }

    @Test
    void vectorsOfTheAlgorithmForOtherPasswords() {
        BeaconCodec noPassword = new BeaconCodec("");
        assertEquals("PNehe", noPassword.begin());
        assertEquals("RFu5I", noPassword.end());
        assertEquals("PNehe5KSxi3q1AwdkiRRFu5I", noPassword.encode(List.of(address("10.214.0.1", 3210)), 495000));
        List<InetSocketAddress> mixed = List.of(address("192.0.2.10", 3210), address("2001:db8::1", 3211));
        String beacon = "87GEs2h1sbUH6ekzbv2DgZ2QyVrzwxfuDqu4b0J2gVgXJ1Bc";
        assertEquals(beacon, new BeaconCodec("vcst-beacon").encode(mixed, 500000));
        assertEquals(mixed, new BeaconCodec("vcst-beacon").decode(beacon, OptionalInt.of(50), 500000));
    }

    @Test
    void decodesTheReferencesBeacons() {
        assertEquals(TWO_V4, decode(TWO_V4_BEACON));
        assertEquals(List.of(address("1.2.3.4", 5678), address("6.6.6.6", 53), address("::1", 5678)),
                decode("WsHI3GXKaXCveo6uejmZizZ72kR6Y0L9T7h49TXONp1ugfKvvvEik22E"));
    }

    @Test
    void findsBeaconsInOtherTextAndSplitByNonAlphanumerics() {
        assertEquals(TWO_V4, decode("Hello World: WsHI31EWDMBYxvITiILIrm2k9gEik22E! End of the World"));
        assertEquals(TWO_V4, decode("WsHI3-1E.WD:MB Yx\tvI\nTi(IL)Ir[m2]k9ügEäik22E"));
        assertEquals(TWO_V4, decode("W -, \nsH--I31EWDMBYxvITiILIrm2k9gEi(k)2ÖÄÜ\n2E"));
        assertEquals(TWO_V4, decode("WsHI31HVpqxFNMNSPrvik22E WsHI34yOBcZIulKdtn2ik22E"), "one address each");
    }

    @Test
    void skipsDamagedAndForeignBeacons() {
        assertEquals(List.of(), decode(""));
        assertEquals(List.of(), decode("WsHI3ik22E"));
        assertEquals(List.of(), decode("WsHI3--"));
        assertEquals(List.of(), decode("--ik22E"));
        assertEquals(List.of(), decode("WsHI32EWDMBYxvITiILIrm2k9gEik22E"), "one digit changed");
        assertEquals(TWO_V4, decode("ik22EWsHI31EWDMBYxvITiILIrm2k9gEik22EWsHI3"));
        assertEquals(TWO_V4, decode("WsHI3WsHI31EWDMBYxvITiILIrm2k9gEik22Eik22E"));
        assertEquals(List.of(), new BeaconCodec("other").decode(TWO_V4_BEACON, OptionalInt.empty(), HOUR));
    }

    @Test
    void aTimeToLiveSkipsOldAndFutureBeacons() {
        for (long now : new long[] {2000, 1995, 2005}) {
            assertEquals(2, CODEC.decode(TWO_V4_BEACON, OptionalInt.of(24), now).size(), "at hour " + now);
        }
        assertEquals(0, CODEC.decode(TWO_V4_BEACON, OptionalInt.of(24), 2100).size());
        assertEquals(0, CODEC.decode(TWO_V4_BEACON, OptionalInt.of(24), 1900).size());
        assertEquals(2, CODEC.decode(TWO_V4_BEACON, OptionalInt.empty(), 2100).size());
    }

    @Test
    void roundTrip() {
        long now = 495_123; // a fixed hour: one beacon in 256 starts with a zero byte, which base62 cannot keep
        List<InetSocketAddress> addresses = List.of(address("10.214.0.1", 3210), address("fd00::5", 1),
                address("10.214.0.2", 65535));
        String beacon = CODEC.encode(addresses, now);
        assertEquals(List.of(address("10.214.0.1", 3210), address("10.214.0.2", 65535), address("fd00::5", 1)),
                CODEC.decode("beacon: " + beacon + "\n", OptionalInt.of(50), now), "IPv4 first, as in the format");
    }
}
