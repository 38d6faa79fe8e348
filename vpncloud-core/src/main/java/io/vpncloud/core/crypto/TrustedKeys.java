package io.vpncloud.core.crypto;

import io.vpncloud.core.wire.Base62;
import io.vpncloud.core.wire.MalformedMessageException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The public keys a node accepts handshakes from (PROTOCOL §2), and the lookup of the sender's key by the
 * {@code key_salt}/{@code key_hash} pair of an init message (§4.1). Immutable.
 */
public final class TrustedKeys {
    /** Length of {@code key_salt} and {@code key_hash} in an init message. */
    public static final int HASH_LENGTH = 4;

    private final List<byte[]> keys;

    private TrustedKeys(List<byte[]> keys) {
        this.keys = keys;
    }

    /**
     * The given 32-byte public keys.
     *
     * @throws IllegalArgumentException if a key is not 32 bytes long
     */
    public static TrustedKeys of(List<byte[]> publicKeys) {
        List<byte[]> copies = new ArrayList<>(publicKeys.size());
        for (byte[] key : publicKeys) {
            if (key.length != Identity.KEY_LENGTH) {
                throw new IllegalArgumentException("trusted key must be " + Identity.KEY_LENGTH + " bytes, not " + key.length);
            }
            copies.add(key.clone());
        }
        return new TrustedKeys(List.copyOf(copies));
    }

    /**
     * The public keys given in base62, as configured with {@code --trusted-key}.
     *
     * @throws IllegalArgumentException if a text is not a base62 key
     */
    public static TrustedKeys parse(List<String> base62Keys) {
        List<byte[]> keys = new ArrayList<>(base62Keys.size());
        for (String text : base62Keys) {
            try {
                keys.add(Base62.decodeKey(text, Identity.KEY_LENGTH));
            } catch (MalformedMessageException e) {
                throw new IllegalArgumentException("invalid trusted key '" + text + "': " + e.getMessage(), e);
            }
        }
        return of(keys);
    }

    /** The default when no keys are configured: only the node's own public key. */
    public static TrustedKeys onlyOwn(Identity identity) {
        return new TrustedKeys(List.of(identity.publicKey()));
    }

    /** The trusted keys (copies). */
    public List<byte[]> keys() {
        List<byte[]> copies = new ArrayList<>(keys.size());
        keys.forEach(key -> copies.add(key.clone()));
        return copies;
    }

    /**
     * The trusted key whose {@link #keyHash} with {@code keySalt} equals {@code keyHash}, if any (a copy).
     *
     * @param keySalt the 4-byte {@code key_salt} of an init message
     * @param keyHash the 4-byte {@code key_hash} of that message
     */
    public Optional<byte[]> findByHash(byte[] keySalt, byte[] keyHash) {
        for (byte[] key : keys) {
            if (MessageDigest.isEqual(keyHash(key, keySalt), keyHash)) {
                return Optional.of(key.clone());
            }
        }
        return Optional.empty();
    }

    /** The first 4 bytes of {@code SHA-256(publicKey || salt)}, as sent in an init message's {@code key_hash}. */
    public static byte[] keyHash(byte[] publicKey, byte[] salt) {
        MessageDigest sha256 = sha256();
        sha256.update(publicKey);
        sha256.update(salt);
        byte[] hash = new byte[HASH_LENGTH];
        System.arraycopy(sha256.digest(), 0, hash, 0, HASH_LENGTH);
        return hash;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
