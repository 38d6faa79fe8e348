package io.vpncloud.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which provider serves which algorithm, and the native provider's heap-buffer staging. */
class AeadProviderTest {
    @Test
    void conscryptLoadsWhenItsJarIsOnThePath() {
        // The core's tests have the optional Conscrypt jar on their path, as the vpncloud command does.
        assertTrue(AeadProvider.CONSCRYPT.isAvailable());
        assertEquals(List.of(AeadProvider.JDK, AeadProvider.BOUNCY_CASTLE, AeadProvider.CONSCRYPT),
                AeadProvider.available());
    }

    @Test
    void byDefaultChachaGoesToConscryptAndAesStaysWithTheJdk() {
        assertEquals(AeadProvider.CONSCRYPT, AeadProvider.defaultFor(Algorithm.CHACHA20));
        assertEquals(AeadProvider.JDK, AeadProvider.defaultFor(Algorithm.AES128));
        assertEquals(AeadProvider.JDK, AeadProvider.defaultFor(Algorithm.AES256));
        assertThrows(IllegalArgumentException.class, () -> AeadProvider.defaultFor(Algorithm.PLAINTEXT));
    }

    @Test
    void stagedHeapBuffersMoveOnlyOnSuccessAndMatchTheJdk() throws Exception {
        byte[] key = new byte[32];
        key[3] = 7;
        byte[] nonce = new byte[Aead.NONCE_LENGTH];
        nonce[11] = 1;
        Aead conscrypt = AeadProvider.CONSCRYPT.create(Algorithm.CHACHA20, key);
        Aead jdk = AeadProvider.JDK.create(Algorithm.CHACHA20, key);
        byte[] message = new byte[1400];
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) (i * 31);
        }
        ByteBuffer sealed = ByteBuffer.allocate(2000).position(5);
        conscrypt.encrypt(nonce, ByteBuffer.wrap(message), sealed);
        assertEquals(5 + 1400 + Aead.TAG_LENGTH, sealed.position());
        ByteBuffer jdkSealed = ByteBuffer.allocate(2000).position(5);
        jdk.encrypt(nonce, ByteBuffer.wrap(message), jdkSealed);
        assertEquals(jdkSealed.flip().position(5), sealed.flip().position(5));

        ByteBuffer tampered = ByteBuffer.allocate(2000);
        tampered.put(sealed.duplicate()).flip();
        tampered.put(100, (byte) (tampered.get(100) ^ 1));
        ByteBuffer out = ByteBuffer.allocate(2000).position(3);
        assertThrows(AuthenticationFailedException.class, () -> conscrypt.decrypt(nonce, tampered, out));
        assertEquals(0, tampered.position());
        assertEquals(3, out.position());

        conscrypt.decrypt(nonce, sealed, out);
        assertEquals(sealed.limit(), sealed.position());
        byte[] opened = new byte[1400];
        out.flip().position(3).get(opened);
        assertArrayEquals(message, opened);
    }
}
