package io.vpncloud.core.crypto;

import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * A sending and a receiving session with one random key and one provider, joined back to back: each
 * {@link #roundTrip} encrypts a message and decrypts it again through the real session code. For the cipher
 * warm-up and the provider race, which must run exactly the code the data path runs.
 */
final class CipherLoop {
    private final SessionCipher sender;
    private final SessionCipher receiver;
    private final ByteBuffer message;
    private final ByteBuffer datagram;
    private final ByteBuffer decrypted;

    /** A loop for messages of up to {@code maxLength} bytes. */
    CipherLoop(Algorithm algorithm, AeadProvider provider, int maxLength) {
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[32];
        random.nextBytes(key);
        sender = SessionCipher.create(algorithm, key, true, random, provider);
        receiver = SessionCipher.create(algorithm, key, false, random, provider);
        message = ByteBuffer.allocate(maxLength);
        datagram = ByteBuffer.allocate(maxLength + SessionCipher.OVERHEAD);
        decrypted = ByteBuffer.allocate(maxLength + SessionCipher.OVERHEAD);
    }

    /** Encrypts a message of {@code length} bytes and decrypts it again. */
    void roundTrip(int length) {
        message.clear().limit(length);
        sender.encrypt(message, datagram.clear());
        try {
            receiver.decrypt(datagram.flip(), decrypted.clear());
        } catch (AuthenticationFailedException e) {
            throw new IllegalStateException("a datagram of our own failed to decrypt", e);
        }
    }
}
