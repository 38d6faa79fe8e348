package io.vpncloud.api;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class IpLiteralTest {

    /** Literals as the JDK reads them (for a literal, getByName does no lookup): the two parsers must agree. */
    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "10.0.0.1", "255.255.255.255", "192.168.100.9", "::", "::1", "1::",
            "fd00::1", "FD00::AB", "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8", "fe80::1:2", "::ffff:10.0.0.1", "64:ff9b::192.0.2.33", "1:2:3:4:5:6:1.2.3.4"})
    void literalsParseAsTheJdkReadsThem(String text) throws UnknownHostException {
        assertArrayEquals(InetAddress.getByName(text).getAddress(), IpLiteral.parse(text).orElseThrow().getAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "cafe", "1", "10", "10.0.0", "10.0.0.300", "10.0.0.1.2", "10..0.1", "10.0.0.",
            ".10.0.0", "010.0.0.1", "10.0.0.01", "1e1.0.0.1", "-1.0.0.0", "+1.0.0.0", "0x10.0.0.1", "localhost",
            "example.com", " 10.0.0.1", "10.0.0.1 ", ":", ":::", "1::2::3", ":1::", "1::2:", "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "12345::", "g::", "::1.2.3",
            "1.2.3.4::", "::1.2.3.4:5", "fe80::1%eth0", "[::1]", "::256.0.0.1", "1:2:3:4:5:6:7:1.2.3.4",
            "\u0661.0.0.1", "\uff10::"})
    void anythingElseIsRejected(String text) {
        assertEquals(Optional.empty(), IpLiteral.parse(text));
        assertFalse(IpLiteral.isLiteral(text));
        assertNull(IpLiteral.toBytes(text));
    }

    @Property
    void everyIpv4AddressParsesBack(@ForAll @Size(4) byte[] bytes) throws UnknownHostException {
        String text = InetAddress.getByAddress(bytes).getHostAddress();
        assertArrayEquals(bytes, IpLiteral.toBytes(text));
    }

    @Property
    void everyIpv6AddressParsesBackInFullAndCompressedForm(@ForAll @Size(16) byte[] bytes)
            throws UnknownHostException {
        String full = Inet6Address.getByAddress(null, bytes, -1).getHostAddress(); // 8 groups, no "::"
        assertArrayEquals(bytes, IpLiteral.toBytes(full), full);
        String padded = HexFormat.of().formatHex(bytes).replaceAll("(.{4})(?!$)", "$1:");
        assertArrayEquals(bytes, IpLiteral.toBytes(padded), padded);
        String compressed = full.replaceFirst("(^|:)0(:0)+(:|$)", "::");
        assertArrayEquals(bytes, IpLiteral.toBytes(compressed), compressed);
    }

    @Property
    void ipv4MappedAddressesKeepTheirSixteenBytes(@ForAll @Size(4) byte[] v4) throws UnknownHostException {
        byte[] expected = new byte[16];
        expected[10] = (byte) 0xFF;
        expected[11] = (byte) 0xFF;
        System.arraycopy(v4, 0, expected, 12, 4);
        assertArrayEquals(expected, IpLiteral.toBytes("::ffff:" + InetAddress.getByAddress(v4).getHostAddress()));
    }
}
