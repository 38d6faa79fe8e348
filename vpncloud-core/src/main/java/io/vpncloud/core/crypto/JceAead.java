package io.vpncloud.core.crypto;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Provider;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link Aead} over a {@code javax.crypto} provider's AES-GCM and ChaCha20-Poly1305: the JDK's own, or another
 * provider object (Conscrypt) that is asked directly, never installed for the whole JVM. The cipher and key objects
 * live as long as the instance; only the small nonce parameter object is made per call, as the JCE API demands.
 */
final class JceAead implements Aead {
    private final Cipher cipher;
    private final SecretKeySpec key;
    private final boolean gcm;

    /** The JDK's ciphers. */
    JceAead(Algorithm algorithm, byte[] key) {
        this(algorithm, key, null, "ChaCha20-Poly1305");
    }

    /**
     * The ciphers of {@code provider}, or of the JDK if it is null.
     *
     * @param chachaName the provider's name for ChaCha20-Poly1305 (the JDK and Conscrypt spell it differently)
     */
    JceAead(Algorithm algorithm, byte[] key, Provider provider, String chachaName) {
        AeadProvider.checkKey(algorithm, key);
        this.gcm = algorithm != Algorithm.CHACHA20;
        this.key = new SecretKeySpec(key, gcm ? "AES" : "ChaCha20");
        String transformation = gcm ? "AES/GCM/NoPadding" : chachaName;
        try {
            this.cipher = provider == null ? Cipher.getInstance(transformation)
                    : Cipher.getInstance(transformation, provider);
            // Without a provider, the JDK picks one at the first init. Picking it here keeps that first init from
            // taking a branch that no packet of an older session took: the JIT has compiled it out of the
            // data path, and a new session's first packet would send the compiled path back to the interpreter.
            cipher.getProvider();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException((provider == null ? "the JDK" : provider.getName()) + " lacks "
                    + algorithm, e);
        }
    }

    @Override
    public void encrypt(byte[] nonce, ByteBuffer plaintext, ByteBuffer out) {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, parameters(nonce));
            cipher.doFinal(plaintext, out);
        } catch (ShortBufferException e) {
            throw new BufferOverflowException();
        } catch (GeneralSecurityException e) {
            // Key and nonce lengths are checked, so the only way here is a reused nonce: a bug of the caller.
            throw new IllegalStateException("encryption failed", e);
        }
    }

    @Override
    public void decrypt(byte[] nonce, ByteBuffer ciphertextAndTag, ByteBuffer out)
            throws AuthenticationFailedException {
        if (ciphertextAndTag.remaining() < TAG_LENGTH) {
            throw new AuthenticationFailedException("shorter than a tag");
        }
        int inPosition = ciphertextAndTag.position();
        int outPosition = out.position();
        try {
            initForDecryption(nonce);
            cipher.doFinal(ciphertextAndTag, out);
        } catch (AEADBadTagException e) {
            ciphertextAndTag.position(inPosition);
            out.position(outPosition);
            throw new AuthenticationFailedException("tag mismatch");
        } catch (ShortBufferException e) {
            throw new BufferOverflowException();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("decryption failed", e);
        }
    }

    /**
     * The JDK's ChaCha20-Poly1305 refuses to be initialised twice in a row with the same key and nonce, even for
     * decryption. That happens when a forged datagram is followed by the genuine one with the same nonce (the forgery
     * failed, so the replay window let the nonce through again); initialising once with another nonce clears it.
     */
    private void initForDecryption(byte[] nonce) throws GeneralSecurityException {
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, parameters(nonce));
        } catch (InvalidKeyException sameKeyAndNonce) {
            byte[] other = nonce.clone();
            other[0] ^= 1;
            cipher.init(Cipher.DECRYPT_MODE, key, parameters(other));
            cipher.init(Cipher.DECRYPT_MODE, key, parameters(nonce));
        }
    }

    private AlgorithmParameterSpec parameters(byte[] nonce) {
        return gcm ? new GCMParameterSpec(TAG_LENGTH * 8, nonce) : new IvParameterSpec(nonce);
    }
}
