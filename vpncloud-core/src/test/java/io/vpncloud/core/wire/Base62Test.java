package io.vpncloud.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class Base62Test {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void knownValuesFromTheProtocol() throws MalformedMessageException {
        assertEquals("", Base62.encode(new byte[0]));
        assertEquals("", Base62.encode(new byte[] {0}));
        assertEquals("z", Base62.encode(new byte[] {61}));
        assertEquals("10", Base62.encode(new byte[] {62}));
        assertEquals("48", Base62.encode(new byte[] {1, 0}));
        assertEquals("1Xp7Ke", Base62.encode("Test".getBytes(StandardCharsets.US_ASCII)));

        assertArrayEquals(new byte[0], Base62.decode(""));
        assertArrayEquals(new byte[] {61}, Base62.decode("z"));
        assertArrayEquals(new byte[] {62}, Base62.decode("10"));
        assertArrayEquals(new byte[] {1, 0}, Base62.decode("48"));
        assertArrayEquals("Test".getBytes(StandardCharsets.US_ASCII), Base62.decode("1Xp7Ke"));
    }

    @Test
    void keysOfTheReferenceBothWays() throws Exception {
        List<String[]> rows = keyRows();
        assertEquals(5, rows.size());
        for (String[] row : rows) {
            byte[] seed = HEX.parseHex(row[3]);
            byte[] publicKey = HEX.parseHex(row[4]);
            assertEquals(row[1], Base62.encode(seed), row[0]);
            assertEquals(row[2], Base62.encode(publicKey), row[0]);
            assertArrayEquals(seed, Base62.decodeKey(row[1], 32), row[0]);
            assertArrayEquals(publicKey, Base62.decodeKey(row[2], 32), row[0]);
        }
    }

    @Test
    void keyWithLeadingZeroBytesIsPaddedBack() throws MalformedMessageException {
        byte[] key = new byte[32];
        key[2] = 7;
        key[31] = 1;
        assertArrayEquals(key, Base62.decodeKey(Base62.encode(key), 32));
    }

    @Test
    void rejectsForeignCharactersAndOverlongKeys() {
        assertThrows(MalformedMessageException.class, () -> Base62.decode("abc-def"));
        assertThrows(MalformedMessageException.class, () -> Base62.decode("ä"));
        byte[] tooLong = new byte[33];
        tooLong[0] = 1;
        assertThrows(MalformedMessageException.class, () -> Base62.decodeKey(Base62.encode(tooLong), 32));
    }

    @Property(tries = 300)
    void roundTripKeepsTheNumber(@ForAll @Size(max = 64) byte[] bytes) throws MalformedMessageException {
        assertArrayEquals(withoutLeadingZeros(bytes), Base62.decode(Base62.encode(bytes)));
        assertArrayEquals(withLength(bytes, 64), Base62.decodeKey(Base62.encode(bytes), 64));
    }

    @Property(tries = 300)
    void decodeRejectsOrAcceptsButNeverCrashes(@ForAll @Size(max = 60) String text) {
        try {
            byte[] bytes = Base62.decode(text);
            assertEquals(text.replaceFirst("^0+", ""), Base62.encode(bytes));
        } catch (MalformedMessageException expected) {
            // not base62: fine
        }
    }

    private static byte[] withoutLeadingZeros(byte[] bytes) {
        int start = 0;
        while (start < bytes.length && bytes[start] == 0) {
            start++;
        }
        return Arrays.copyOfRange(bytes, start, bytes.length);
    }

    private static byte[] withLength(byte[] bytes, int length) {
        byte[] padded = new byte[length];
        System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
        return padded;
    }

    /** keys.txt rows: password (JSON), private base62, public base62, seed hex, public hex. */
    static List<String[]> keyRows() throws IOException {
        try (InputStream in = Base62Test.class.getResourceAsStream("/vectors/keys.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split("\t"))
                    .toList();
        }
    }
}
