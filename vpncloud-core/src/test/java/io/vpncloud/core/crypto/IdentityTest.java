package io.vpncloud.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.core.CaptureFile;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityTest {
    private static final List<Vectors.KeyLine> KEYS = Vectors.keys();

    @Test
    void vectorsAreThere() {
        assertEquals(5, KEYS.size());
    }

    @Test
    void passwordGivesTheReferenceSeedAndPublicKey() {
        for (Vectors.KeyLine line : KEYS) {
            Identity identity = Identity.fromPassword(line.password());
            assertArrayEquals(line.seed(), identity.seed(), line.password());
            assertArrayEquals(line.publicKey(), identity.publicKey(), line.password());
        }
    }

    @Test
    void seedGivesTheReferencePublicKey() {
        for (Vectors.KeyLine line : KEYS) {
            assertArrayEquals(line.publicKey(), Identity.fromPrivateKey(line.seed()).publicKey(), line.password());
        }
    }

    @Test
    void base62FormsMatchTheReferenceBothWays() {
        for (Vectors.KeyLine line : KEYS) {
            Identity identity = Identity.fromPrivateKey(line.seed());
            assertEquals(line.privateBase62(), identity.privateKeyBase62(), line.password());
            assertEquals(line.publicBase62(), identity.publicKeyBase62(), line.password());
            assertArrayEquals(line.seed(), Identity.fromBase62(line.privateBase62()).seed(), line.password());
        }
    }

    /** Ed25519 is deterministic, so re-signing a captured init message must give the captured signature. */
    @Test
    void signsAndVerifiesCapturedInitMessagesExactlyAsTheReference() {
        Identity identity = Identity.fromPassword("mysecret");
        int checked = 0;
        for (CaptureFile.Datagram datagram : CaptureFile.load("capture-aes128.txt").initMessages()) {
            byte[] payload = datagram.payload();
            byte[] signed = Arrays.copyOfRange(payload, 1, payload.length - 65);
            byte[] signature = Arrays.copyOfRange(payload, payload.length - 64, payload.length);
            assertEquals(64, payload[payload.length - 65], "sig_len");
            assertTrue(Identity.verify(identity.publicKey(), signed, signature), "datagram " + datagram.index());
            assertArrayEquals(signature, identity.sign(signed), "datagram " + datagram.index());
            checked++;
        }
        assertTrue(checked >= 3);
    }

    @Test
    void rejectsAlteredDataWrongKeyAndMalformedSignature() {
        Identity identity = Identity.fromPassword("mysecret");
        byte[] data = {1, 2, 3, 4};
        byte[] signature = identity.sign(data);
        assertTrue(Identity.verify(identity.publicKey(), data, signature));
        assertFalse(Identity.verify(identity.publicKey(), new byte[] {1, 2, 3, 5}, signature));
        assertFalse(Identity.verify(Identity.fromPassword("other").publicKey(), data, signature));
        byte[] flipped = signature.clone();
        flipped[10] ^= 1;
        assertFalse(Identity.verify(identity.publicKey(), data, flipped));
        assertFalse(Identity.verify(identity.publicKey(), data, Arrays.copyOf(signature, 63)));
        assertFalse(Identity.verify(new byte[31], data, signature));
    }

    @Test
    void rejectsPrivateKeysOfWrongLengthOrNotBase62() {
        assertThrows(IllegalArgumentException.class, () -> Identity.fromPrivateKey(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> Identity.fromBase62("not-base62!"));
        assertThrows(IllegalArgumentException.class, () -> Identity.fromBase62("z".repeat(50)));
    }

    @Test
    void toStringHidesThePrivateKey() {
        Identity identity = Identity.fromPassword("mysecret");
        assertFalse(identity.toString().contains(identity.privateKeyBase62()));
        assertTrue(identity.toString().contains(identity.publicKeyBase62()));
    }
}
