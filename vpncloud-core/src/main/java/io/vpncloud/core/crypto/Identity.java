package io.vpncloud.core.crypto;

import io.vpncloud.core.wire.Base62;
import io.vpncloud.core.wire.MalformedMessageException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A node's signing identity: an Ed25519 key pair given by its 32-byte seed (PROTOCOL §2). Immutable; the seed
 * and public key are copied in and out.
 */
public final class Identity {
    /** Length of the seed ("private key") and of the public key. */
    public static final int KEY_LENGTH = 32;
    /** Length of an Ed25519 signature. */
    public static final int SIGNATURE_LENGTH = 64;

    private static final byte[] PASSWORD_SALT = "vpncloudVPNCLOUDvpncl0udVpnCloud".getBytes(StandardCharsets.US_ASCII);
    private static final int PASSWORD_ITERATIONS = 4096;

    private final byte[] seed;
    private final byte[] publicKey;

    private Identity(byte[] seed) {
        this.seed = seed;
        this.publicKey = new byte[KEY_LENGTH];
        Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    }

    /** The identity the reference derives from a password: PBKDF2-HMAC-SHA256 over its UTF-8 bytes. */
    public static Identity fromPassword(String password) {
        PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(new SHA256Digest());
        generator.init(password.getBytes(StandardCharsets.UTF_8), PASSWORD_SALT, PASSWORD_ITERATIONS);
        KeyParameter key = (KeyParameter) generator.generateDerivedMacParameters(KEY_LENGTH * 8);
        return new Identity(key.getKey());
    }

    /**
     * The identity for a 32-byte Ed25519 seed.
     *
     * @throws IllegalArgumentException if the seed is not 32 bytes long
     */
    public static Identity fromPrivateKey(byte[] seed) {
        if (seed.length != KEY_LENGTH) {
            throw new IllegalArgumentException("private key must be " + KEY_LENGTH + " bytes, not " + seed.length);
        }
        return new Identity(seed.clone());
    }

    /**
     * The identity for a private key in the base62 text form that {@code vpncloud genkey} prints.
     *
     * @throws IllegalArgumentException if the text is not a base62 number of at most 32 bytes
     */
    public static Identity fromBase62(String privateKey) {
        try {
            return new Identity(Base62.decodeKey(privateKey, KEY_LENGTH));
        } catch (MalformedMessageException e) {
            throw new IllegalArgumentException("invalid private key: " + e.getMessage(), e);
        }
    }

    /** The 32-byte public key (a copy). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The 32-byte seed, i.e. the private key (a copy). */
    public byte[] seed() {
        return seed.clone();
    }

    /** The private key in base62, as {@code vpncloud genkey} prints it. */
    public String privateKeyBase62() {
        return Base62.encode(seed);
    }

    /** The public key in base62, as {@code vpncloud genkey} prints it. */
    public String publicKeyBase62() {
        return Base62.encode(publicKey);
    }

    /** The 64-byte Ed25519 signature of {@code data}. */
    public byte[] sign(byte[] data) {
        return sign(data, 0, data.length);
    }

    /** The 64-byte Ed25519 signature of {@code length} bytes of {@code data} from {@code offset}. */
    public byte[] sign(byte[] data, int offset, int length) {
        byte[] signature = new byte[SIGNATURE_LENGTH];
        Ed25519.sign(seed, 0, publicKey, 0, data, offset, length, signature, 0);
        return signature;
    }

    /**
     * Whether {@code signature} is a valid Ed25519 signature of {@code data} by {@code publicKey}. Keys and
     * signatures of the wrong length are simply invalid.
     */
    public static boolean verify(byte[] publicKey, byte[] data, byte[] signature) {
        return verify(publicKey, data, 0, data.length, signature);
    }

    /** Like {@link #verify(byte[], byte[], byte[])} for {@code length} bytes of {@code data} from {@code offset}. */
    public static boolean verify(byte[] publicKey, byte[] data, int offset, int length, byte[] signature) {
        if (publicKey.length != KEY_LENGTH || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        return Ed25519.verify(signature, 0, publicKey, 0, data, offset, length);
    }

    /** Shows the public key only, never the private one. */
    @Override
    public String toString() {
        return "Identity[publicKey=" + publicKeyBase62() + "]";
    }

    /** Identities are equal when their seeds are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Identity && Arrays.equals(seed, ((Identity) other).seed);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }
}
