package io.vpncloud.core.crypto;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The encryption of one peer session (PROTOCOL §5): four key slots, the current sending slot, a running 12-byte
 * nonce per sending key, and a strict {@link ReplayWindow} per receiving key. Encrypted datagrams are laid out as
 * {@code slot(1) | nonce bytes 5..11 (7) | ciphertext | tag(16)}.
 *
 * <p>Threading: {@link #encrypt} is called by one thread at a time (the sending thread), {@link #encryptControl} by
 * one other thread at a time (the control thread) and {@link #decrypt} by one thread at a time (the receiving
 * thread), all concurrently. Keys may be installed from any thread: each installation publishes a new immutable key
 * object through a volatile reference. The two sending threads draw nonces from one atomic counter and each has its
 * own cipher object and nonce buffer, so no thread ever waits for another: the data path takes no lock.
 */
public final class SessionCipher {
    /** Bytes added to every datagram: slot id, nonce tail and tag. */
    public static final int OVERHEAD = 24;
    /** Bytes before the ciphertext: slot id and nonce tail. */
    public static final int HEADER_LENGTH = 8;
    /** Number of key slots. */
    public static final int SLOTS = 4;

    private static final int NONCE_TAIL_OFFSET = 5;
    private static final int NONCE_TAIL_LENGTH = 7;
    private static final int RANDOM_NONCE_OFFSET = 6;
    private static final byte DIRECTION_HIGH = (byte) 0x80;
    private static final byte DIRECTION_LOW = 0x00;

    private final Algorithm algorithm;
    private final AeadProvider provider;
    private final byte ownDirection;
    private final byte peerDirection;
    private final SecureRandom random;
    private final AtomicReferenceArray<ReceiveKey> receiveKeys = new AtomicReferenceArray<>(SLOTS);
    private volatile SendKey sendKey;
    /** Nonce being decrypted; touched only by the decrypting thread. */
    private final byte[] receiveNonce = new byte[Aead.NONCE_LENGTH];

    /**
     * A key used for sending from one slot. The running nonce is an atomic counter over the nonce's last eight bytes
     * (bytes 0..3 are the direction byte and zeros, and a 48-bit random start cannot carry past them); each sending
     * thread (lane) has its own cipher object and nonce buffer.
     */
    private static final class SendKey {
        final int slot;
        final AtomicLong counter;
        final Lane data;
        final Lane control;

        SendKey(int slot, Aead data, Aead control, byte direction, long start) {
            this.slot = slot;
            this.counter = new AtomicLong(start);
            this.data = new Lane(data, direction);
            this.control = new Lane(control, direction);
        }
    }

    /** One sending thread's cipher object and nonce buffer for a send key. */
    private static final class Lane {
        final Aead aead;
        final byte[] nonce = new byte[Aead.NONCE_LENGTH];

        Lane(Aead aead, byte direction) {
            this.aead = aead;
            this.nonce[0] = direction;
        }
    }

    /** A key used for receiving in one slot, with its replay window (owned by the receiving thread). */
    private static final class ReceiveKey {
        final Aead aead;
        final ReplayWindow window = new ReplayWindow();

        ReceiveKey(Aead aead) {
            this.aead = aead;
        }
    }

    private SessionCipher(Algorithm algorithm, AeadProvider provider, boolean ownDirectionHigh, SecureRandom random) {
        this.algorithm = algorithm;
        this.provider = provider;
        this.ownDirection = ownDirectionHigh ? DIRECTION_HIGH : DIRECTION_LOW;
        this.peerDirection = ownDirectionHigh ? DIRECTION_LOW : DIRECTION_HIGH;
        this.random = random;
    }

    /**
     * A session right after the handshake: slot 0 holds the handshake key for both directions and is the sending
     * slot; the other slots hold no key yet (datagrams naming them fail, like the reference's random keys).
     *
     * @param sharedSecret the 32-byte X25519 shared secret; its first {@code algorithm.keyLength()} bytes are the key
     * @param ownDirectionHigh whether this side's salted node id hash is the greater one (nonce byte 0 = 0x80)
     * @return {@link #plaintext()} if {@code algorithm} is {@link Algorithm#PLAINTEXT}
     */
    public static SessionCipher create(Algorithm algorithm, byte[] sharedSecret, boolean ownDirectionHigh,
            SecureRandom random) {
        if (algorithm == Algorithm.PLAINTEXT) {
            return plaintext();
        }
        return create(algorithm, sharedSecret, ownDirectionHigh, random, AeadProvider.fastestFor(algorithm));
    }

    /** Like {@link #create(Algorithm, byte[], boolean, SecureRandom)} with a chosen provider (for benchmarks). */
    public static SessionCipher create(Algorithm algorithm, byte[] sharedSecret, boolean ownDirectionHigh,
            SecureRandom random, AeadProvider provider) {
        SessionCipher cipher = new SessionCipher(algorithm, provider, ownDirectionHigh, random);
        cipher.installReceiveKey(0, sharedSecret);
        cipher.installSendKey(0, sharedSecret);
        return cipher;
    }

    /** A session without encryption: datagrams are the messages themselves. */
    public static SessionCipher plaintext() {
        return new SessionCipher(Algorithm.PLAINTEXT, null, false, null);
    }

    /** The session's algorithm. */
    public Algorithm algorithm() {
        return algorithm;
    }

    /** Bytes a datagram is longer than its message: {@link #OVERHEAD}, or 0 in plaintext mode. */
    public int overhead() {
        return algorithm == Algorithm.PLAINTEXT ? 0 : OVERHEAD;
    }

    /** The slot currently used for sending. */
    public int sendSlot() {
        SendKey key = sendKey;
        return key == null ? 0 : key.slot;
    }

    /**
     * Encrypts the remaining bytes of {@code plaintext} as one datagram into {@code out} (which needs
     * {@link #overhead()} more bytes of room), advancing both positions. Sending (data) thread only.
     */
    public void encrypt(ByteBuffer plaintext, ByteBuffer out) {
        if (algorithm == Algorithm.PLAINTEXT) {
            out.put(plaintext);
            return;
        }
        SendKey key = sendKey;
        encrypt(key, key.data, plaintext, out);
    }

    /**
     * Like {@link #encrypt}, for the control thread's messages (NodeInfo, rotation, CLOSE): it may run at the same
     * time as {@link #encrypt} on the sending thread, with a nonce of its own from the shared counter.
     */
    public void encryptControl(ByteBuffer plaintext, ByteBuffer out) {
        if (algorithm == Algorithm.PLAINTEXT) {
            out.put(plaintext);
            return;
        }
        SendKey key = sendKey;
        encrypt(key, key.control, plaintext, out);
    }

    private static void encrypt(SendKey key, Lane lane, ByteBuffer plaintext, ByteBuffer out) {
        long counter = key.counter.incrementAndGet();
        byte[] nonce = lane.nonce;
        for (int i = Aead.NONCE_LENGTH - 1; i >= Aead.NONCE_LENGTH - Long.BYTES; i--) {
            nonce[i] = (byte) counter;
            counter >>>= 8;
        }
        out.put((byte) key.slot);
        out.put(nonce, NONCE_TAIL_OFFSET, NONCE_TAIL_LENGTH);
        lane.aead.encrypt(nonce, plaintext, out);
    }

    /**
     * Authenticates and decrypts the remaining bytes of {@code datagram} into {@code out}, advancing both positions
     * on success only. Receiving thread only.
     *
     * @throws AuthenticationFailedException if the datagram is too short, names a slot without key, repeats a nonce,
     *     is older than the replay window, or does not verify
     */
    public void decrypt(ByteBuffer datagram, ByteBuffer out) throws AuthenticationFailedException {
        if (algorithm == Algorithm.PLAINTEXT) {
            out.put(datagram);
            return;
        }
        if (datagram.remaining() < OVERHEAD) {
            throw new AuthenticationFailedException("datagram of " + datagram.remaining() + " bytes is too short");
        }
        int start = datagram.position();
        ReceiveKey key = receiveKeys.get(slotOf(datagram));
        if (key == null) {
            throw new AuthenticationFailedException("no key in slot " + slotOf(datagram));
        }
        long counter = nonceCounter(datagram);
        if (!key.window.mayAccept(counter)) {
            throw new AuthenticationFailedException("replayed or too old nonce");
        }
        receiveNonce[0] = peerDirection;
        datagram.get(start + 1, receiveNonce, NONCE_TAIL_OFFSET, NONCE_TAIL_LENGTH);
        datagram.position(start + HEADER_LENGTH);
        try {
            key.aead.decrypt(receiveNonce, datagram, out);
        } catch (AuthenticationFailedException e) {
            datagram.position(start);
            throw e;
        }
        key.window.accept(counter);
    }

    /** The key slot an encrypted datagram (at its position) names: its first byte modulo 4. */
    static int slotOf(ByteBuffer datagram) {
        return (datagram.get(datagram.position()) & 0xFF) % SLOTS;
    }

    /** The 56-bit nonce counter of an encrypted datagram (at its position): bytes 1..7, big-endian. */
    static long nonceCounter(ByteBuffer datagram) {
        long counter = 0;
        for (int i = 1; i <= NONCE_TAIL_LENGTH; i++) {
            counter = counter << 8 | (datagram.get(datagram.position() + i) & 0xFF);
        }
        return counter;
    }

    /**
     * Installs a key for receiving in {@code slot} (with a fresh replay window). The sending slot is unchanged.
     *
     * @param key at least {@code algorithm().keyLength()} bytes; the first ones are used
     */
    public void installReceiveKey(int slot, byte[] key) {
        receiveKeys.set(checkSlot(slot), new ReceiveKey(aead(key)));
    }

    /**
     * Installs a key for sending in {@code slot} and makes it the sending slot, with a new random nonce.
     *
     * @param key at least {@code algorithm().keyLength()} bytes; the first ones are used
     */
    public void installSendKey(int slot, byte[] key) {
        sendKey = new SendKey(checkSlot(slot), aead(key), aead(key), ownDirection, randomNonceStart());
    }

    private Aead aead(byte[] key) {
        if (algorithm == Algorithm.PLAINTEXT) {
            throw new IllegalStateException("a plaintext session has no keys");
        }
        if (key.length < algorithm.keyLength()) {
            throw new IllegalArgumentException(algorithm + " needs " + algorithm.keyLength() + " key bytes, got "
                    + key.length);
        }
        return provider.create(algorithm, Arrays.copyOf(key, algorithm.keyLength()));
    }

    /**
     * The start of a send key's nonce counter: as the reference starts its nonces, bytes 1..5 of the nonce are zero
     * and bytes 6..11 random (byte 0 is the direction); the counter covers bytes 4..11.
     */
    private long randomNonceStart() {
        byte[] randomPart = new byte[Aead.NONCE_LENGTH - RANDOM_NONCE_OFFSET];
        random.nextBytes(randomPart);
        long start = 0;
        for (byte b : randomPart) {
            start = start << 8 | (b & 0xFF);
        }
        return start;
    }

    /** Adds one to the nonce read as a single big-endian number. */
    static void increment(byte[] nonce) {
        for (int i = nonce.length - 1; i >= 0; i--) {
            nonce[i]++;
            if (nonce[i] != 0) {
                return;
            }
        }
    }

    private static int checkSlot(int slot) {
        if (slot < 0 || slot >= SLOTS) {
            throw new IllegalArgumentException("key slot must be 0.." + (SLOTS - 1) + ", not " + slot);
        }
        return slot;
    }
}
