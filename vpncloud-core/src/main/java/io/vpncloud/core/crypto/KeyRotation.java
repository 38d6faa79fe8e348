package io.vpncloud.core.crypto;

import io.vpncloud.core.wire.RotationMessage;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key rotation of one session (PROTOCOL §6.3), installing the rotated keys into its {@link SessionCipher}.
 *
 * <p>Two interleaved X25519 exchanges run at once: every message proposes a new public key and confirms the
 * peer's last proposal with the public key of this side's answer. A side that confirms a pending key installs it
 * for receiving; a side that sees its proposal confirmed installs the result for sending. Keys go to slot
 * {@code message_id mod 4}; the side that was B in the handshake uses odd ids, the other even ones.
 *
 * <p>Driven from outside: {@link #start()} once right after connecting, {@link #tick()} once per
 * {@link #interval()}, {@link #handle} for every received rotation message. The caller sends what they return as
 * a ROTATION session message. Not thread-safe: one thread (the node's control thread) drives it.
 */
public final class KeyRotation {
    /** How often the reference runs a rotation step. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(120);

    private static final Logger LOG = LoggerFactory.getLogger(KeyRotation.class);
    private static final byte[] NO_CONFIRM = new byte[0];
    private static final long FIRST_STARTER_ID = 1;

    private final SessionCipher cipher;
    private final boolean starter;
    private final SecureRandom random;
    private final Duration interval;

    /** The id of this side's last new message (resends repeat an older one). */
    private long ownMessageId;
    /** The highest message id of the peer handled so far. */
    private long peerMessageId;
    /** This side's proposal that the peer has not yet confirmed, or null. */
    private X25519KeyPair proposal;
    /** Whether one step has already passed since the proposal was sent or the peer was last heard. */
    private boolean proposalOverdue;
    /** The confirmation this side last sent, and the id of that message, for resending. */
    private byte[] lastConfirm;
    private long lastConfirmId;
    /** The key derived from the peer's last proposal, waiting to be confirmed in the next step, or null. */
    private byte[] pendingKey;
    private byte[] pendingConfirm;

    /** With the reference's 120-second interval. */
    public KeyRotation(SessionCipher cipher, boolean starter, SecureRandom random) {
        this(cipher, starter, random, DEFAULT_INTERVAL);
    }

    /**
     * @param cipher the session whose keys rotate; must be encrypted
     * @param starter whether this side was B in the handshake (it starts the rotation and uses odd ids)
     * @param interval how often the caller should {@link #tick()}
     */
    public KeyRotation(SessionCipher cipher, boolean starter, SecureRandom random, Duration interval) {
        if (cipher.algorithm() == Algorithm.PLAINTEXT) {
            throw new IllegalArgumentException("a plaintext session has no keys to rotate");
        }
        this.cipher = cipher;
        this.starter = starter;
        this.random = random;
        this.interval = interval;
    }

    /** How often {@link #tick()} should be called. */
    public Duration interval() {
        return interval;
    }

    /** The first message (id 1, a proposal only) if this side starts the rotation; call once after connecting. */
    public Optional<RotationMessage> start() {
        if (!starter || ownMessageId != 0) {
            return Optional.empty();
        }
        ownMessageId = FIRST_STARTER_ID;
        proposal = X25519KeyPair.generate(random);
        return Optional.of(new RotationMessage(ownMessageId, proposal.publicKey(), NO_CONFIRM));
    }

    /**
     * One rotation step. An unconfirmed proposal is resent on the second step without an answer; otherwise a
     * pending key from the peer is confirmed (and installed for receiving) together with a new proposal.
     *
     * @return the message to send, if any
     */
    public Optional<RotationMessage> tick() {
        if (proposal != null) {
            if (!proposalOverdue) {
                proposalOverdue = true;
                return Optional.empty();
            }
            return Optional.of(lastConfirm == null
                    ? new RotationMessage(FIRST_STARTER_ID, proposal.publicKey(), NO_CONFIRM)
                    : new RotationMessage(lastConfirmId, proposal.publicKey(), lastConfirm));
        }
        if (pendingKey == null) {
            return Optional.empty();
        }
        ownMessageId += 2;
        proposal = X25519KeyPair.generate(random);
        proposalOverdue = false;
        lastConfirm = pendingConfirm;
        lastConfirmId = ownMessageId;
        cipher.installReceiveKey(slotOf(ownMessageId), pendingKey);
        pendingKey = null;
        pendingConfirm = null;
        LOG.debug("Rotation: sending message {}, receiving with a new key in slot {}", ownMessageId,
                slotOf(ownMessageId));
        return Optional.of(new RotationMessage(ownMessageId, proposal.publicKey(), lastConfirm));
    }

    /**
     * Handles a received rotation message: answers its proposal (the answer becomes pending), and if it confirms
     * this side's proposal, installs the new key for sending. Old, repeated or invalid messages change nothing.
     */
    public void handle(RotationMessage message) {
        long id = message.messageId();
        if (Long.compareUnsigned(id, peerMessageId) <= 0 || Long.compareUnsigned(id, ownMessageId) <= 0) {
            return;
        }
        X25519KeyPair answer = X25519KeyPair.generate(random);
        byte[] newPendingKey;
        byte[] sendKey = null;
        try {
            newPendingKey = answer.agree(message.propose());
            if (message.hasConfirm() && proposal != null) {
                sendKey = proposal.agree(message.confirm());
            }
        } catch (InvalidKeyException e) {
            LOG.warn("Rotation: ignoring message {} with an invalid key: {}", Long.toUnsignedString(id), e.getMessage());
            return;
        }
        peerMessageId = id;
        proposalOverdue = false;
        pendingKey = newPendingKey;
        pendingConfirm = answer.publicKey();
        if (sendKey != null) {
            proposal = null;
            cipher.installSendKey(slotOf(id), sendKey);
            LOG.debug("Rotation: message {} confirmed our proposal, sending with slot {}", id, slotOf(id));
        }
    }

    private static int slotOf(long messageId) {
        return (int) Long.remainderUnsigned(messageId, SessionCipher.SLOTS);
    }
}
