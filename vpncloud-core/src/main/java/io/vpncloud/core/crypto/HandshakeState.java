package io.vpncloud.core.crypto;

import io.vpncloud.api.NodeId;
import io.vpncloud.core.wire.InitFields;
import io.vpncloud.core.wire.InitMessage;
import io.vpncloud.core.wire.MalformedMessageException;
import io.vpncloud.core.wire.NodeInfo;
import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * One handshake with one peer address: the PING/PONG/PENG state machine of PROTOCOL.md §4.2–4.3.
 *
 * <p>Use: the initiator (A) sends {@link #start()}; both sides feed every init datagram from the peer to
 * {@link #handle} and act on the returned {@link Step}; once per tick (one second) the owner sends
 * {@link #resendOnTick()} if it is not null and drops the state when {@link #isAbandoned()}. A is connected when
 * it gets {@link Established} for the PONG (and sends the PENG in it); it should keep this state for 60 s, during
 * which a repeated PONG is answered with the same PENG ({@link Send}). B is connected when it gets
 * {@link Established} for the PENG; its state is finished then.
 *
 * <p>Not thread-safe: one owner calls it at a time.
 */
public final class HandshakeState {

    /** Resends of the last message without progress after which the handshake is abandoned. */
    public static final int MAX_RESENDS = 120;

    private static final int SALT_LENGTH = 4;

    /** What the owner must do after {@link #handle}. */
    public sealed interface Step permits Send, Established, Ignore, Abort {
    }

    /** Send this datagram to the peer; the handshake goes on. */
    public record Send(byte[] datagram) implements Step {
    }

    /**
     * The handshake succeeded: the session and the peer's NodeInfo are ready.
     *
     * @param cipher         the session, continuing the nonces used for the handshake payloads
     * @param peerInfo       the NodeInfo the peer sent in its PONG or PENG
     * @param datagramToSend the PENG to send (initiator), or null (responder)
     * @param wasInitiator   whether this side was A (it started, or answered a PONG)
     * @param peerNodeId     the peer's node id, from its NodeInfo
     * @param algorithm      the session algorithm
     */
    public record Established(SessionCipher cipher, NodeInfo peerInfo, byte[] datagramToSend, boolean wasInitiator,
            NodeId peerNodeId, Algorithm algorithm) implements Step {

        /** Whether the session is unencrypted. */
        public boolean plaintext() {
            return algorithm == Algorithm.PLAINTEXT;
        }
    }

    /** The datagram was dropped (malformed, untrusted, bad signature, or not for this stage); nothing to send. */
    public record Ignore(String reason) implements Step {
    }

    /**
     * The handshake failed for good; drop the state.
     *
     * @param selfConnection whether the peer turned out to be this node itself
     */
    public record Abort(String reason, boolean selfConnection) implements Step {
    }

    private enum Phase {
        AWAIT_PING, AWAIT_PONG, AWAIT_PENG, DONE_AS_INITIATOR, DONE_AS_RESPONDER, FAILED;

        int expectedStage() {
            return switch (this) {
                case AWAIT_PING -> InitFields.PING;
                case AWAIT_PONG -> InitFields.PONG;
                case AWAIT_PENG -> InitFields.PENG;
                default -> -1;
            };
        }

        boolean finished() {
            return this == DONE_AS_INITIATOR || this == DONE_AS_RESPONDER || this == FAILED;
        }
    }

    private final HandshakeContext context;
    private final byte[] ownNodeHash;
    private Phase phase;
    private X25519KeyPair ownEcdhKey;
    private byte[] peerNodeHash;
    private SessionCipher cipher;
    private Algorithm algorithm;
    private byte[] lastMessage;
    private int resends;
    private boolean abandoned;

    private HandshakeState(HandshakeContext context, Phase phase) {
        this.context = context;
        this.ownNodeHash = saltedNodeHash(randomBytes(context, SALT_LENGTH), context.nodeId());
        this.phase = phase;
    }

    /** A handshake this node starts (A): {@link #start()} gives the PING. */
    public static HandshakeState initiator(HandshakeContext context) {
        HandshakeState state = new HandshakeState(context, Phase.AWAIT_PONG);
        state.ownEcdhKey = X25519KeyPair.generate(context.random());
        state.lastMessage = state.sign(InitFields.ping(state.ownNodeHash, state.ownEcdhKey.publicKey(),
                context.algorithms()));
        return state;
    }

    /** A handshake started by the peer (B), created when its first init datagram arrives. */
    public static HandshakeState responder(HandshakeContext context) {
        return new HandshakeState(context, Phase.AWAIT_PING);
    }

    /** The initiator's PING datagram (the same bytes on every call); null for a responder. */
    public byte[] start() {
        return phase == Phase.AWAIT_PONG ? lastMessage.clone() : null;
    }

    /** Processes one init datagram (starting with 0xff) from the peer. */
    public Step handle(ByteBuffer datagram) {
        if (phase == Phase.FAILED) {
            return new Ignore("handshake already failed");
        }
        InitMessage message;
        try {
            message = InitMessage.decode(datagram);
        } catch (MalformedMessageException e) {
            return new Ignore("malformed init message: " + e.reason());
        }
        Optional<byte[]> senderKey = context.trustedKeys().findByHash(message.keySalt(), message.keyHash());
        if (senderKey.isEmpty()) {
            return new Ignore("untrusted peer");
        }
        if (!Identity.verify(senderKey.get(), message.signedRegion(), message.signature())) {
            return new Ignore("invalid signature");
        }
        if (isOwnNodeHash(message.nodeHash())) {
            phase = Phase.FAILED;
            return new Abort("connected to itself", true);
        }
        return message.stage() == phase.expectedStage() ? progress(message) : unexpectedStage(message);
    }

    /**
     * The last message again, to be sent now: called once per tick while the handshake is unfinished. Returns
     * null when there is nothing to resend (a fresh responder, a finished handshake) and once the handshake has
     * been abandoned after {@value #MAX_RESENDS} resends without progress.
     */
    public byte[] resendOnTick() {
        if (phase.finished()) {
            return null;
        }
        if (resends >= MAX_RESENDS) {
            phase = Phase.FAILED;
            abandoned = true;
            return null;
        }
        resends++;
        return lastMessage == null ? null : lastMessage.clone();
    }

    /** Whether the handshake was given up for lack of progress. */
    public boolean isAbandoned() {
        return abandoned;
    }

    /** Whether this side is connected (as initiator or responder). */
    public boolean isEstablished() {
        return phase == Phase.DONE_AS_INITIATOR || phase == Phase.DONE_AS_RESPONDER;
    }

    /**
     * For a finished initiator: whether {@code datagram} is an init message from the same peer handshake (its
     * salted node id hash is the one this handshake completed with), i.e. a repeated PONG to answer with the
     * PENG again, rather than a new handshake of a restarted peer. Does not verify the signature ({@link #handle}
     * does) and does not move the buffer.
     */
    public boolean expectsRepeatedPong(ByteBuffer datagram) {
        if (phase != Phase.DONE_AS_INITIATOR) {
            return false;
        }
        try {
            return Arrays.equals(InitMessage.decode(datagram.duplicate()).nodeHash(), peerNodeHash);
        } catch (MalformedMessageException e) {
            return false;
        }
    }

    private Step progress(InitMessage message) {
        resends = 0;
        return switch (phase) {
            case AWAIT_PING -> answerPing(message);
            case AWAIT_PONG -> answerPong(message);
            case AWAIT_PENG -> finishAsResponder(message);
            default -> throw new IllegalStateException("no stage expected in phase " + phase);
        };
    }

    private Step unexpectedStage(InitMessage message) {
        if (phase == Phase.AWAIT_PONG && message.stage() == InitFields.PING) {
            // Simultaneous open: the node with the greater salted node id hash stays A.
            if (Arrays.compareUnsigned(message.nodeHash(), ownNodeHash) > 0) {
                phase = Phase.AWAIT_PING;
                ownEcdhKey = null;
                lastMessage = null;
                resends = 0;
                return answerPing(message);
            }
            return new Ignore("simultaneous open: the peer will answer our PING");
        }
        if (phase == Phase.DONE_AS_RESPONDER) {
            return new Ignore("handshake already finished");
        }
        if (lastMessage != null) {
            return new Send(lastMessage.clone());
        }
        phase = Phase.FAILED;
        return new Abort("stage " + message.stage() + " as first message", false);
    }

    /** B: choose the algorithm, derive the session, send PONG with the own NodeInfo. */
    private Step answerPing(InitMessage ping) {
        peerNodeHash = ping.nodeHash();
        X25519KeyPair ecdhKey = X25519KeyPair.generate(context.random());
        Optional<String> problem = deriveSession(ping, ecdhKey);
        if (problem.isPresent()) {
            return fail(problem.get());
        }
        lastMessage = sign(InitFields.pong(ownNodeHash, ecdhKey.publicKey(), context.algorithms(), encryptOwnInfo()));
        phase = Phase.AWAIT_PENG;
        return new Send(lastMessage.clone());
    }

    /** A: choose the algorithm, derive the session, read B's NodeInfo, send PENG with the own one. */
    private Step answerPong(InitMessage pong) {
        peerNodeHash = pong.nodeHash();
        Optional<String> problem = deriveSession(pong, ownEcdhKey);
        if (problem.isPresent()) {
            return fail(problem.get());
        }
        Optional<NodeInfo> peerInfo = decryptPeerInfo(pong.payload());
        if (peerInfo.isEmpty()) {
            return fail("cannot decrypt or decode the PONG payload");
        }
        ownEcdhKey = null;
        lastMessage = sign(InitFields.peng(ownNodeHash, encryptOwnInfo()));
        phase = Phase.DONE_AS_INITIATOR;
        return new Established(cipher, peerInfo.get(), lastMessage.clone(), true, peerInfo.get().nodeId(), algorithm);
    }

    /** B: read A's NodeInfo; connected. */
    private Step finishAsResponder(InitMessage peng) {
        Optional<NodeInfo> peerInfo = decryptPeerInfo(peng.payload());
        if (peerInfo.isEmpty()) {
            return fail("cannot decrypt or decode the PENG payload");
        }
        phase = Phase.DONE_AS_RESPONDER;
        lastMessage = null;
        return new Established(cipher, peerInfo.get(), null, false, peerInfo.get().nodeId(), algorithm);
    }

    /** Sets {@link #algorithm} and {@link #cipher} from the peer's PING or PONG; a problem if that fails. */
    private Optional<String> deriveSession(InitMessage message, X25519KeyPair ecdhKey) {
        Optional<Algorithm> chosen = AlgorithmSpeeds.choose(context.algorithms(), message.algorithms());
        if (chosen.isEmpty()) {
            return Optional.of("no common algorithm");
        }
        algorithm = chosen.get();
        if (algorithm == Algorithm.PLAINTEXT) {
            cipher = SessionCipher.plaintext();
            return Optional.empty();
        }
        byte[] sharedSecret;
        try {
            sharedSecret = ecdhKey.agree(message.ecdhPublicKey());
        } catch (InvalidKeyException e) {
            return Optional.of("invalid ECDH key: " + e.getMessage());
        }
        // The side with the greater salted node id hash sends with nonce direction byte 0x80 (§4.3).
        boolean ownDirectionHigh = Arrays.compareUnsigned(ownNodeHash, message.nodeHash()) > 0;
        cipher = SessionCipher.create(algorithm, sharedSecret, ownDirectionHigh, context.random());
        return Optional.empty();
    }

    private byte[] encryptOwnInfo() {
        NodeInfo info = context.ownInfo().get();
        ByteBuffer plain = ByteBuffer.allocate(info.encodedLength());
        info.encode(plain);
        plain.flip();
        ByteBuffer encrypted = ByteBuffer.allocate(plain.remaining() + cipher.overhead());
        cipher.encrypt(plain, encrypted);
        return encrypted.array();
    }

    private Optional<NodeInfo> decryptPeerInfo(byte[] payload) {
        ByteBuffer plain = ByteBuffer.allocate(payload.length);
        try {
            cipher.decrypt(ByteBuffer.wrap(payload), plain);
            return Optional.of(NodeInfo.decode(plain.flip()));
        } catch (AuthenticationFailedException | MalformedMessageException e) {
            return Optional.empty();
        }
    }

    private byte[] sign(InitFields fields) {
        byte[] salt = randomBytes(context, SALT_LENGTH);
        Identity identity = context.identity();
        return InitMessage.encode(fields, salt, TrustedKeys.keyHash(identity.publicKey(), salt), identity::sign);
    }

    private Step fail(String reason) {
        phase = Phase.FAILED;
        return new Abort(reason, false);
    }

    /**
     * Self connection (§4.2): the message carries this handshake's own hash, or a hash of this node's id with the
     * message's salt (another handshake of this node). The reference's second check compares a 20-byte hash with
     * a 32-byte digest and never matches; this one compares the right bytes.
     */
    private boolean isOwnNodeHash(byte[] nodeHash) {
        return Arrays.equals(nodeHash, ownNodeHash)
                || Arrays.equals(nodeHash, saltedNodeHash(Arrays.copyOf(nodeHash, SALT_LENGTH), context.nodeId()));
    }

    /** {@code salt(4) || first 16 bytes of SHA-256(salt || node id)}. */
    static byte[] saltedNodeHash(byte[] salt, NodeId nodeId) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
        sha256.update(salt);
        sha256.update(nodeId.toBytes());
        byte[] hash = Arrays.copyOf(salt, InitFields.NODE_HASH_LENGTH);
        System.arraycopy(sha256.digest(), 0, hash, SALT_LENGTH, InitFields.NODE_HASH_LENGTH - SALT_LENGTH);
        return hash;
    }

    private static byte[] randomBytes(HandshakeContext context, int length) {
        byte[] bytes = new byte[length];
        context.random().nextBytes(bytes);
        return bytes;
    }
}
