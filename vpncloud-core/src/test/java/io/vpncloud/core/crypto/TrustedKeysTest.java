package io.vpncloud.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.core.CaptureFile;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrustedKeysTest {
    private static final Identity MYSECRET = Identity.fromPassword("mysecret");
    private static final Identity OTHER = Identity.fromPassword("other");

    /** Every captured init message's key_salt/key_hash must point at the key of "mysecret". */
    @Test
    void findsTheSenderOfEveryCapturedInitMessage() {
        TrustedKeys trusted = TrustedKeys.of(List.of(OTHER.publicKey(), MYSECRET.publicKey()));
        int checked = 0;
        for (CaptureFile.Datagram datagram : CaptureFile.load("capture-chacha20.txt").initMessages()) {
            byte[] payload = datagram.payload();
            byte[] salt = Arrays.copyOfRange(payload, 1, 5);
            byte[] hash = Arrays.copyOfRange(payload, 5, 9);
            assertArrayEquals(hash, TrustedKeys.keyHash(MYSECRET.publicKey(), salt));
            Optional<byte[]> found = trusted.findByHash(salt, hash);
            assertTrue(found.isPresent(), "datagram " + datagram.index());
            assertArrayEquals(MYSECRET.publicKey(), found.get());
            checked++;
        }
        assertTrue(checked >= 3);
    }

    @Test
    void untrustedSenderIsNotFound() {
        byte[] salt = {1, 2, 3, 4};
        byte[] hash = TrustedKeys.keyHash(OTHER.publicKey(), salt);
        assertEquals(Optional.empty(), TrustedKeys.onlyOwn(MYSECRET).findByHash(salt, hash));
        assertTrue(TrustedKeys.onlyOwn(OTHER).findByHash(salt, hash).isPresent());
    }

    @Test
    void parsesBase62KeysAndRejectsWrongLengths() {
        TrustedKeys trusted = TrustedKeys.parse(List.of(MYSECRET.publicKeyBase62()));
        assertArrayEquals(MYSECRET.publicKey(), trusted.keys().get(0));
        assertThrows(IllegalArgumentException.class, () -> TrustedKeys.of(List.of(new byte[16])));
    }
}
