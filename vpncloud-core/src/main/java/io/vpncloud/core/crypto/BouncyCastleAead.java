package io.vpncloud.core.crypto;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * {@link Aead} over Bouncy Castle's lightweight {@code GCMBlockCipher} and {@code ChaCha20Poly1305}. The key is
 * loaded once; later calls pass only the nonce, so the key schedule and GHASH tables are not rebuilt per packet.
 * Buffers without a backing array (direct buffers) go through a reused scratch array.
 */
final class BouncyCastleAead implements Aead {
    private final AEADCipher cipher;
    private KeyParameter keyToLoad;
    private byte[] scratchIn = new byte[0];
    private byte[] scratchOut = new byte[0];

    BouncyCastleAead(Algorithm algorithm, byte[] key) {
        AeadProvider.checkKey(algorithm, key);
        this.cipher = algorithm == Algorithm.CHACHA20
                ? new ChaCha20Poly1305()
                : GCMBlockCipher.newInstance(AESEngine.newInstance());
        this.keyToLoad = new KeyParameter(key);
    }

    @Override
    public void encrypt(byte[] nonce, ByteBuffer plaintext, ByteBuffer out) {
        if (out.remaining() < plaintext.remaining() + TAG_LENGTH) {
            throw new BufferOverflowException();
        }
        init(true, nonce);
        try {
            process(plaintext, out);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("encryption cannot fail to authenticate", e);
        }
    }

    @Override
    public void decrypt(byte[] nonce, ByteBuffer ciphertextAndTag, ByteBuffer out)
            throws AuthenticationFailedException {
        if (ciphertextAndTag.remaining() < TAG_LENGTH) {
            throw new AuthenticationFailedException("shorter than a tag");
        }
        if (out.remaining() < ciphertextAndTag.remaining() - TAG_LENGTH) {
            throw new BufferOverflowException();
        }
        init(false, nonce);
        try {
            process(ciphertextAndTag, out);
        } catch (InvalidCipherTextException e) {
            throw new AuthenticationFailedException("tag mismatch");
        }
    }

    /** Passes the key only on the first call: a null key tells Bouncy Castle to keep the loaded one. */
    private void init(boolean forEncryption, byte[] nonce) {
        cipher.init(forEncryption, new ParametersWithIV(keyToLoad, nonce));
        keyToLoad = null;
    }

    /** Runs the whole input through the cipher; positions move only on success. */
    private void process(ByteBuffer in, ByteBuffer out) throws InvalidCipherTextException {
        int length = in.remaining();
        if (in.hasArray() && out.hasArray()) {
            int outOffset = out.arrayOffset() + out.position();
            int written = cipher.processBytes(in.array(), in.arrayOffset() + in.position(), length, out.array(), outOffset);
            written += cipher.doFinal(out.array(), outOffset + written);
            in.position(in.position() + length);
            out.position(out.position() + written);
            return;
        }
        byte[] input = scratch(length, true);
        byte[] output = scratch(length + TAG_LENGTH, false);
        in.get(in.position(), input, 0, length);
        int written = cipher.processBytes(input, 0, length, output, 0);
        written += cipher.doFinal(output, written);
        in.position(in.position() + length);
        out.put(output, 0, written);
    }

    private byte[] scratch(int length, boolean input) {
        if (input) {
            if (scratchIn.length < length) {
                scratchIn = new byte[length];
            }
            return scratchIn;
        }
        if (scratchOut.length < length) {
            scratchOut = new byte[length];
        }
        return scratchOut;
    }
}
