package io.vpncloud.core.crypto;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Hands a native {@link Aead} direct buffers: heap input is copied once into a reused direct buffer and the result
 * copied once back. A native provider given heap arrays instead gathers the input into temporary arrays of its own
 * and copies them again across JNI (Conscrypt allocates 800 bytes per encrypt and decrypt of a 1400-byte packet
 * that way, against 256 with direct buffers); direct buffers it reads and writes in place. Not thread-safe, like
 * every {@link Aead}.
 */
final class DirectStagingAead implements Aead {
    private final Aead nativeAead;
    private ByteBuffer stagedIn = ByteBuffer.allocateDirect(0);
    private ByteBuffer stagedOut = ByteBuffer.allocateDirect(0);

    DirectStagingAead(Aead nativeAead) {
        this.nativeAead = nativeAead;
    }

    @Override
    public void encrypt(byte[] nonce, ByteBuffer plaintext, ByteBuffer out) {
        if (plaintext.isDirect() && out.isDirect()) {
            nativeAead.encrypt(nonce, plaintext, out);
            return;
        }
        int length = plaintext.remaining();
        if (out.remaining() < length + TAG_LENGTH) {
            throw new BufferOverflowException();
        }
        ByteBuffer in = stageIn(plaintext);
        ByteBuffer sealed = stageOut(length + TAG_LENGTH);
        nativeAead.encrypt(nonce, in, sealed);
        plaintext.position(plaintext.position() + length);
        out.put(sealed.flip());
    }

    @Override
    public void decrypt(byte[] nonce, ByteBuffer ciphertextAndTag, ByteBuffer out)
            throws AuthenticationFailedException {
        if (ciphertextAndTag.isDirect() && out.isDirect()) {
            nativeAead.decrypt(nonce, ciphertextAndTag, out);
            return;
        }
        int length = ciphertextAndTag.remaining();
        if (length < TAG_LENGTH) {
            throw new AuthenticationFailedException("shorter than a tag");
        }
        if (out.remaining() < length - TAG_LENGTH) {
            throw new BufferOverflowException();
        }
        ByteBuffer in = stageIn(ciphertextAndTag);
        ByteBuffer opened = stageOut(length);
        nativeAead.decrypt(nonce, in, opened);
        ciphertextAndTag.position(ciphertextAndTag.position() + length);
        out.put(opened.flip());
    }

    /** A copy of {@code source}'s remaining bytes in the input staging buffer; {@code source} does not move. */
    private ByteBuffer stageIn(ByteBuffer source) {
        int length = source.remaining();
        if (stagedIn.capacity() < length) {
            stagedIn = ByteBuffer.allocateDirect(length);
        }
        return stagedIn.clear().put(0, source, source.position(), length).limit(length);
    }

    /** The output staging buffer, cleared, with room for at least {@code length} bytes. */
    private ByteBuffer stageOut(int length) {
        if (stagedOut.capacity() < length) {
            stagedOut = ByteBuffer.allocateDirect(length);
        }
        return stagedOut.clear();
    }
}
