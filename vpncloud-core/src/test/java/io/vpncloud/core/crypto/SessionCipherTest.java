package io.vpncloud.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.core.CaptureFile;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SessionCipherTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    static Stream<Arguments> algorithmsForEachProvider() {
        return Stream.of(AeadProvider.values()).flatMap(provider -> Stream.of(Algorithm.AES128, Algorithm.AES256,
                Algorithm.CHACHA20).map(algorithm -> Arguments.of(algorithm, provider)));
    }

    /** Two ends of one session: {@code high} sends with direction byte 0x80, {@code low} with 0x00. */
    record Pair(SessionCipher high, SessionCipher low) {
        static Pair of(Algorithm algorithm, AeadProvider provider) {
            byte[] secret = new byte[32];
            RANDOM.nextBytes(secret);
            return new Pair(SessionCipher.create(algorithm, secret, true, RANDOM, provider),
                    SessionCipher.create(algorithm, secret, false, RANDOM, provider));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("algorithmsForEachProvider")
    void roundTripsBothDirections(Algorithm algorithm, AeadProvider provider) throws Exception {
        Pair pair = Pair.of(algorithm, provider);
        for (int length : new int[] {0, 1, 15, 16, 17, 1000, 1400}) {
            byte[] message = randomBytes(length);
            byte[] datagram = encrypt(pair.high(), message);
            assertEquals(length + SessionCipher.OVERHEAD, datagram.length);
            assertArrayEquals(message, decrypt(pair.low(), datagram));
            assertArrayEquals(message, decrypt(pair.high(), encrypt(pair.low(), message)));
        }
    }

    @Test
    void plaintextSessionCopiesMessages() throws Exception {
        SessionCipher plain = SessionCipher.plaintext();
        byte[] message = randomBytes(100);
        assertArrayEquals(message, encrypt(plain, message));
        assertArrayEquals(message, decrypt(plain, message));
        assertEquals(0, plain.overhead());
    }

    /** A datagram we send must open with a raw JDK cipher given only PROTOCOL §5's layout. */
    @Test
    void layoutFollowsTheProtocol() throws Exception {
        byte[] secret = randomBytes(32);
        SessionCipher sender = SessionCipher.create(Algorithm.AES128, secret, true, RANDOM);
        byte[] message = randomBytes(50);
        byte[] datagram = encrypt(sender, message);
        assertEquals(0, datagram[0], "slot");
        assertEquals(0, datagram[1], "nonce byte 5 starts at zero");
        byte[] nonce = new byte[12];
        nonce[0] = (byte) 0x80;
        System.arraycopy(datagram, 1, nonce, 5, 7);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(secret, 0, 16, "AES"), new GCMParameterSpec(128, nonce));
        assertArrayEquals(message, cipher.doFinal(datagram, 8, datagram.length - 8));
    }

    @Test
    void sentNoncesCountUpByOne() {
        SessionCipher sender = Pair.of(Algorithm.CHACHA20, AeadProvider.JDK).high();
        long first = SessionCipher.nonceCounter(ByteBuffer.wrap(encrypt(sender, new byte[1])));
        assertTrue(first < 1L << 48, "only bytes 6..11 start random");
        for (int i = 1; i <= 300; i++) {
            assertEquals(first + i, SessionCipher.nonceCounter(ByteBuffer.wrap(encrypt(sender, new byte[1]))));
        }
    }

    /**
     * The reference's datagrams of each direction — the handshake payload (PONG/PENG field 5) and then every session
     * message — carry slot 0 and nonce counters that count up by one. Retransmitted init messages repeat theirs.
     */
    @Test
    void capturedNoncesCountUpByOnePerDirection() {
        for (String sender : List.of("node1", "node2")) {
            List<Long> counters = new ArrayList<>();
            byte[] previous = null;
            for (CaptureFile.Datagram datagram : CaptureFile.load("capture-aes128.txt").datagrams()) {
                if (!datagram.sender().equals(sender) || Arrays.equals(previous, datagram.payload())) {
                    continue;
                }
                previous = datagram.payload();
                ByteBuffer encrypted = datagram.isInit()
                        ? handshakePayload(datagram.payload()) : ByteBuffer.wrap(datagram.payload());
                if (encrypted != null) {
                    assertEquals(0, SessionCipher.slotOf(encrypted));
                    counters.add(SessionCipher.nonceCounter(encrypted));
                }
            }
            assertTrue(counters.size() >= 5, sender + " " + counters);
            for (int i = 1; i < counters.size(); i++) {
                assertEquals(counters.get(0) + i, counters.get(i), sender + " " + counters);
            }
        }
    }

    /** Field 5 of an init message (after 0xFF, key salt and key hash), or null if it has none. */
    private static ByteBuffer handshakePayload(byte[] init) {
        ByteBuffer buffer = ByteBuffer.wrap(init, 9, init.length - 9);
        while (true) {
            int field = buffer.get() & 0xFF;
            if (field == 0) {
                return null;
            }
            int length = buffer.getShort() & 0xFFFF;
            if (field == 5) {
                return buffer.slice(buffer.position(), length);
            }
            buffer.position(buffer.position() + length);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("algorithmsForEachProvider")
    void rejectsTamperedHeaderCiphertextAndTagButStillAcceptsTheOriginal(Algorithm algorithm, AeadProvider provider)
            throws Exception {
        Pair pair = Pair.of(algorithm, provider);
        pair.low().installReceiveKey(1, randomBytes(32));
        byte[] message = randomBytes(64);
        byte[] datagram = encrypt(pair.high(), message);
        for (int i = 0; i < datagram.length; i++) {
            // Only the low two bits of the slot byte count (slot = byte mod 4, as in the reference).
            for (int bit : i == 0 ? new int[] {0, 1} : new int[] {0, 7}) {
                byte[] tampered = datagram.clone();
                tampered[i] ^= (byte) (1 << bit);
                assertThrows(AuthenticationFailedException.class, () -> decrypt(pair.low(), tampered),
                        "byte " + i + " bit " + bit);
            }
        }
        assertArrayEquals(message, decrypt(pair.low(), datagram));
    }

    @Test
    void rejectsTruncatedDatagramsAndTheSendersOwnDatagrams() {
        Pair pair = Pair.of(Algorithm.AES256, AeadProvider.BOUNCY_CASTLE);
        byte[] datagram = encrypt(pair.high(), new byte[10]);
        for (int length = 0; length < datagram.length; length++) {
            byte[] truncated = Arrays.copyOf(datagram, length);
            assertThrows(AuthenticationFailedException.class, () -> decrypt(pair.low(), truncated));
        }
        assertThrows(AuthenticationFailedException.class, () -> decrypt(pair.high(), datagram), "reflected");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("algorithmsForEachProvider")
    void rejectsReplays(Algorithm algorithm, AeadProvider provider) throws Exception {
        Pair pair = Pair.of(algorithm, provider);
        byte[] first = encrypt(pair.high(), new byte[] {1});
        byte[] second = encrypt(pair.high(), new byte[] {2});
        decrypt(pair.low(), second);
        decrypt(pair.low(), first);
        assertThrows(AuthenticationFailedException.class, () -> decrypt(pair.low(), first));
        assertThrows(AuthenticationFailedException.class, () -> decrypt(pair.low(), second));
    }

    /** Reordered datagrams with duplicates, all inside the window: each is accepted exactly once. */
    @Property(tries = 100)
    void acceptsEveryDatagramExactlyOnceInAnyOrder(
            @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 199) Integer> deliveryOrder) {
        Pair pair = Pair.of(Algorithm.AES128, AeadProvider.JDK);
        List<byte[]> datagrams = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            datagrams.add(encrypt(pair.high(), new byte[] {(byte) i}));
        }
        Set<Integer> delivered = new HashSet<>();
        for (int index : deliveryOrder) {
            boolean fresh = delivered.add(index);
            try {
                assertArrayEquals(new byte[] {(byte) (int) index}, decrypt(pair.low(), datagrams.get(index)));
                assertTrue(fresh, "replay of " + index + " accepted");
            } catch (AuthenticationFailedException e) {
                assertFalse(fresh, "first delivery of " + index + " rejected");
            }
        }
    }

    @Test
    void rejectsDatagramsBelowTheWindow() throws Exception {
        Pair pair = Pair.of(Algorithm.AES128, AeadProvider.JDK);
        byte[] old = encrypt(pair.high(), new byte[1]);
        byte[] last = null;
        for (int i = 0; i < ReplayWindow.SIZE; i++) {
            last = encrypt(pair.high(), new byte[1]);
        }
        decrypt(pair.low(), last);
        assertThrows(AuthenticationFailedException.class, () -> decrypt(pair.low(), old));
    }

    @Test
    void newKeysTakeEffectPerSlot() throws Exception {
        Pair pair = Pair.of(Algorithm.AES128, AeadProvider.JDK);
        byte[] beforeRotation = encrypt(pair.high(), new byte[] {1});
        byte[] key = randomBytes(32);
        pair.low().installReceiveKey(2, key);
        pair.high().installSendKey(2, key);
        assertEquals(2, pair.high().sendSlot());
        byte[] afterRotation = encrypt(pair.high(), new byte[] {2});
        assertEquals(2, afterRotation[0]);
        assertArrayEquals(new byte[] {2}, decrypt(pair.low(), afterRotation));
        assertArrayEquals(new byte[] {1}, decrypt(pair.low(), beforeRotation), "slot 0 still receives");
        assertArrayEquals(new byte[] {3}, decrypt(pair.high(), encrypt(pair.low(), new byte[] {3})), "other way");
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    static byte[] encrypt(SessionCipher cipher, byte[] message) {
        ByteBuffer out = ByteBuffer.allocate(message.length + SessionCipher.OVERHEAD);
        cipher.encrypt(ByteBuffer.wrap(message), out);
        return Arrays.copyOf(out.array(), out.position());
    }

    static byte[] decrypt(SessionCipher cipher, byte[] datagram) throws AuthenticationFailedException {
        ByteBuffer out = ByteBuffer.allocate(datagram.length);
        ByteBuffer in = ByteBuffer.wrap(datagram);
        cipher.decrypt(in, out);
        assertEquals(0, in.remaining());
        return Arrays.copyOf(out.array(), out.position());
    }
}
