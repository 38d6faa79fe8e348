package io.vpncloud.core.crypto;

import java.nio.ByteBuffer;

/**
 * One AEAD cipher bound to one key: AES-GCM or ChaCha20-Poly1305 with a 12-byte nonce, a 16-byte tag appended to
 * the ciphertext and empty associated data (PROTOCOL §3).
 *
 * <p>An instance keeps its cipher objects between calls, so it is <em>not</em> thread-safe: use one per thread and
 * direction. Input and output buffers must not overlap.
 */
public interface Aead {
    /** Length of a nonce. */
    int NONCE_LENGTH = 12;
    /** Length of the authentication tag appended to every ciphertext. */
    int TAG_LENGTH = 16;

    /**
     * Encrypts the remaining bytes of {@code plaintext} and writes ciphertext and tag to {@code out}, advancing both
     * buffers' positions.
     *
     * @param nonce 12 bytes, never used twice with this key
     * @throws java.nio.BufferOverflowException if {@code out} has fewer than {@code plaintext.remaining() + 16}
     *     bytes left
     */
    void encrypt(byte[] nonce, ByteBuffer plaintext, ByteBuffer out);

    /**
     * Verifies and decrypts the remaining bytes of {@code ciphertextAndTag} into {@code out}, advancing both
     * buffers' positions. On failure neither position moves, but the bytes after {@code out}'s position may have
     * been overwritten.
     *
     * @throws AuthenticationFailedException if the input is shorter than a tag or does not verify
     * @throws java.nio.BufferOverflowException if {@code out} has less room than the plaintext needs
     */
    void decrypt(byte[] nonce, ByteBuffer ciphertextAndTag, ByteBuffer out) throws AuthenticationFailedException;

    /** An instance for {@code algorithm} from the provider that is fastest for it. */
    static Aead create(Algorithm algorithm, byte[] key) {
        return AeadProvider.fastestFor(algorithm).create(algorithm, key);
    }
}
