package io.vpncloud.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlgorithmTest {

    @ParameterizedTest
    @CsvSource({
        "plain, PLAINTEXT", "NONE, PLAINTEXT", "Unencrypted, PLAINTEXT",
        "aes128, AES128", "AES128_GCM, AES128", "aes_128, AES128", "aes_128_gcm, AES128",
        "aes256, AES256", "aes256_gcm, AES256", "AES_256, AES256", "aes_256_gcm, AES256",
        "chacha, CHACHA20", "ChaCha20, CHACHA20", "chacha20_poly1305, CHACHA20"
    })
    void parsesEveryReferenceName(String name, Algorithm expected) {
        assertEquals(expected, Algorithm.parse(name));
    }

    @Test
    void rejectsUnknownNameAndSaysWhich() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Algorithm.parse("aes512"));
        assertTrue(e.getMessage().contains("aes512"), e.getMessage());
    }

    @Test
    void idsAndKeyLengthsMatchTheProtocolTable() {
        assertEquals(Algorithm.PLAINTEXT, Algorithm.fromId(0));
        assertEquals(Algorithm.AES128, Algorithm.fromId(1));
        assertEquals(Algorithm.AES256, Algorithm.fromId(2));
        assertEquals(Algorithm.CHACHA20, Algorithm.fromId(3));
        assertEquals(16, Algorithm.AES128.keyLength());
        assertEquals(32, Algorithm.AES256.keyLength());
        assertEquals(32, Algorithm.CHACHA20.keyLength());
        assertEquals(0, Algorithm.PLAINTEXT.keyLength());
        assertThrows(IllegalArgumentException.class, () -> Algorithm.fromId(4));
    }
}
