package io.vpncloud.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Known answers from published vectors, checked against both providers independently. */
class AeadTest {
    private static final HexFormat HEX = HexFormat.of();

    /** A published vector with empty associated data; {@code expected} is ciphertext || tag. */
    record Vector(String source, Algorithm algorithm, String key, String nonce, String plaintext, String expected) {
        @Override
        public String toString() {
            return source;
        }
    }

    private static final String GCM_KEY = "feffe9928665731c6d6a8f9467308308";
    private static final String GCM_NONCE = "cafebabefacedbaddecaf888";
    private static final String GCM_PLAINTEXT = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
    private static final String CHACHA_KEY = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
    private static final String CHACHA_NONCE = "070000004041424344454647";

    static final Vector[] VECTORS = {
        new Vector("McGrew-Viega GCM test case 2", Algorithm.AES128, "00000000000000000000000000000000",
                "000000000000000000000000", "00000000000000000000000000000000",
                "0388dace60b6a392f328c2b971b2fe78" + "ab6e47d42cec13bdf53a67b21257bddf"),
        new Vector("McGrew-Viega GCM test case 3", Algorithm.AES128, GCM_KEY, GCM_NONCE, GCM_PLAINTEXT,
                "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985"
                + "4d5c2af327cd64a62cf35abd2ba6fab4"),
        new Vector("McGrew-Viega GCM test case 14", Algorithm.AES256,
                "0000000000000000000000000000000000000000000000000000000000000000",
                "000000000000000000000000", "00000000000000000000000000000000",
                "cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919"),
        new Vector("McGrew-Viega GCM test case 15", Algorithm.AES256, GCM_KEY + GCM_KEY, GCM_NONCE, GCM_PLAINTEXT,
                "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"
                + "b094dac5d93471bdec1a502270e3cc6c"),
        // Wycheproof chacha20_poly1305 tcId 1: RFC 8439 §2.8.2's key and nonce, empty message, empty AAD.
        new Vector("Wycheproof ChaCha20-Poly1305 tcId 1", Algorithm.CHACHA20, CHACHA_KEY, CHACHA_NONCE, "",
                "a0784d7a4716f3feb4f64e7f4b39bf04"),
    };

    /** RFC 8439 §2.8.2: "Ladies and Gentlemen of the class of '99: ...", 114 bytes. */
    private static final String RFC8439_PLAINTEXT =
            "4c616469657320616e642047656e746c656d656e206f662074686520636c617373206f66202739393a204966204920636f"
            + "756c64206f6666657220796f75206f6e6c79206f6e652074697020666f7220746865206675747572652c2073756e7363"
            + "7265656e20776f756c642062652069742e";
    /** RFC 8439 §2.8.2's ciphertext; its tag covers AAD, which this protocol never uses, so only this part applies. */
    private static final String RFC8439_CIPHERTEXT =
            "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
            + "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
            + "3ff4def08e4b7a9de576d26586cec64b6116";

    static Stream<Arguments> vectorsForEachProvider() {
        return Arrays.stream(AeadProvider.values())
                .flatMap(provider -> Arrays.stream(VECTORS).map(vector -> Arguments.of(provider, vector)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("vectorsForEachProvider")
    void encryptsToThePublishedCiphertextAndTag(AeadProvider provider, Vector vector) throws Exception {
        Aead aead = provider.create(vector.algorithm(), HEX.parseHex(vector.key()));
        assertEquals(vector.expected(), HEX.formatHex(encrypt(aead, HEX.parseHex(vector.nonce()),
                HEX.parseHex(vector.plaintext()), false)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("vectorsForEachProvider")
    void decryptsThePublishedCiphertextAndTag(AeadProvider provider, Vector vector) throws Exception {
        Aead aead = provider.create(vector.algorithm(), HEX.parseHex(vector.key()));
        assertEquals(vector.plaintext(), HEX.formatHex(decrypt(aead, HEX.parseHex(vector.nonce()),
                HEX.parseHex(vector.expected()), true)));
    }

    @ParameterizedTest
    @EnumSource(AeadProvider.class)
    void chachaKeystreamMatchesRfc8439(AeadProvider provider) {
        Aead aead = provider.create(Algorithm.CHACHA20, HEX.parseHex(CHACHA_KEY));
        byte[] sealed = encrypt(aead, HEX.parseHex(CHACHA_NONCE), HEX.parseHex(RFC8439_PLAINTEXT), true);
        assertEquals(RFC8439_CIPHERTEXT, HEX.formatHex(sealed, 0, sealed.length - Aead.TAG_LENGTH));
    }

    static Stream<Arguments> algorithmsForEachProvider() {
        return Arrays.stream(AeadProvider.values()).flatMap(provider -> Stream.of(Algorithm.AES128,
                Algorithm.AES256, Algorithm.CHACHA20).map(algorithm -> Arguments.of(provider, algorithm)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("algorithmsForEachProvider")
    void bothProvidersAgreeAndRejectEveryFlippedBit(AeadProvider provider, Algorithm algorithm) throws Exception {
        Random random = new Random(42);
        byte[] key = new byte[algorithm.keyLength()];
        byte[] nonce = new byte[Aead.NONCE_LENGTH];
        byte[] plaintext = new byte[100];
        random.nextBytes(key);
        random.nextBytes(nonce);
        random.nextBytes(plaintext);
        Aead aead = provider.create(algorithm, key);
        Aead other = otherProvider(provider).create(algorithm, key);
        byte[] sealed = encrypt(aead, nonce, plaintext, false);
        assertArrayEquals(sealed, encrypt(other, nonce, plaintext, true));
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= (byte) (1 << (i % 8));
            boolean direct = i % 2 == 0;
            assertThrows(AuthenticationFailedException.class, () -> decrypt(aead, nonce, tampered, direct));
        }
        byte[] otherNonce = nonce.clone();
        otherNonce[11] ^= 1;
        assertThrows(AuthenticationFailedException.class, () -> decrypt(aead, otherNonce, sealed, false));
        assertArrayEquals(plaintext, decrypt(aead, nonce, sealed, false), "still works after failures");
        assertThrows(AuthenticationFailedException.class, () -> decrypt(aead, nonce, new byte[15], false));
    }

    private static AeadProvider otherProvider(AeadProvider provider) {
        return provider == AeadProvider.BOUNCY_CASTLE ? AeadProvider.JDK : AeadProvider.BOUNCY_CASTLE;
    }

    private static byte[] encrypt(Aead aead, byte[] nonce, byte[] plaintext, boolean direct) {
        ByteBuffer in = buffer(plaintext, direct);
        ByteBuffer out = direct ? ByteBuffer.allocateDirect(plaintext.length + 40) : ByteBuffer.allocate(plaintext.length + 40);
        out.position(3);
        aead.encrypt(nonce, in, out);
        assertEquals(0, in.remaining());
        return bytesFrom(out, 3);
    }

    private static byte[] decrypt(Aead aead, byte[] nonce, byte[] sealed, boolean direct)
            throws AuthenticationFailedException {
        ByteBuffer in = buffer(sealed, direct);
        ByteBuffer out = direct ? ByteBuffer.allocateDirect(sealed.length + 40) : ByteBuffer.allocate(sealed.length + 40);
        out.position(5);
        try {
            aead.decrypt(nonce, in, out);
        } catch (AuthenticationFailedException e) {
            assertEquals(5, out.position(), "output position unchanged on failure");
            throw e;
        }
        assertEquals(0, in.remaining());
        return bytesFrom(out, 5);
    }

    /** A buffer holding {@code content} at a non-zero position, to catch offset mistakes. */
    private static ByteBuffer buffer(byte[] content, boolean direct) {
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(content.length + 7) : ByteBuffer.allocate(content.length + 7);
        buffer.position(7);
        buffer.put(content);
        buffer.flip();
        buffer.position(7);
        return buffer;
    }

    private static byte[] bytesFrom(ByteBuffer buffer, int start) {
        byte[] bytes = new byte[buffer.position() - start];
        buffer.get(start, bytes);
        return bytes;
    }
}
