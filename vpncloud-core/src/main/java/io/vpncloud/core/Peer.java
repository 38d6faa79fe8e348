package io.vpncloud.core;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.core.crypto.KeyRotation;
import io.vpncloud.core.crypto.SessionCipher;
import io.vpncloud.core.route.FlowHash;
import io.vpncloud.core.wire.NodeInfo;
import io.vpncloud.core.wire.RotationMessage;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connected peer: its session and what it told us. Created and changed by the control thread; the data threads
 * read the final fields and mark the peer as heard from. The session cipher is shared without a lock: the send path
 * encrypts data on its lane, the control thread its messages (NodeInfo, rotation, CLOSE) on another
 * ({@link SessionCipher#encryptControl}).
 */
final class Peer {
    final PeerAddress address;
    final InetSocketAddress socketAddress;
    final NodeId nodeId;
    final SessionCipher cipher;
    final KeyRotation rotation;
    final Instant connectedAt;
    /**
     * This peer's seed for spreading flows over the claimants of a range: a hash of its node id, so that every
     * node that spreads flows weighs this peer alike, whenever it learned of it.
     */
    final long flowSeed;
    /** Whether the session is unencrypted (then a lone 0xFF is the peer's CLOSE). */
    final boolean plaintext;

    /** Written by the control thread only; read by status snapshots. */
    private volatile NodeInfo info;
    private Instant nextRotation;
    /** Our claims that this peer routes to us (from its RoutesInUse extension); control thread only. */
    Set<IpRange> routedToUs = Set.of();

    /**
     * Whether anything from the peer decrypted since the control thread last looked: the receive thread sets it for
     * every authenticated datagram (a read first, so a busy link costs no writes; no clock read, no allocation). The
     * control thread collects it ({@link #collectHeard}) into {@link #heardRounds}, from which the last-heard time,
     * the half-open check and the crash test all read.
     */
    private final AtomicBoolean heardSinceCollected = new AtomicBoolean();
    /** How often the control thread found the peer heard from since the handshake; control thread only. */
    private long heardRounds;
    /** The running test after an ICMP error reported for a datagram to this peer, or null; control thread only. */
    CrashSuspicion suspicion;
    /**
     * The generation of the addresses learned from this peer ({@link io.vpncloud.core.route.LearningTable}): the
     * control thread moves it on when the peer's claims change and sets it to -1 when the peer goes, which ends
     * everything learned from the peer at once without touching the table.
     */
    private volatile int learnedGeneration;

    Peer(PeerAddress address, NodeId nodeId, SessionCipher cipher, KeyRotation rotation, NodeInfo info, Instant now,
         Duration rotationInterval) {
        this.address = address;
        this.socketAddress = address.toSocketAddress();
        this.nodeId = nodeId;
        this.cipher = cipher;
        this.rotation = rotation;
        this.plaintext = rotation == null;
        this.connectedAt = now;
        this.flowSeed = FlowHash.mix(FlowHash.mix(nodeId.high()) ^ nodeId.low());
        this.info = info.withoutPeers();
        this.nextRotation = now.plus(rotationInterval);
    }

    /** Notes that a session message from the peer decrypted; the receive thread calls it for every one. */
    void heard() {
        if (!heardSinceCollected.get()) {
            heardSinceCollected.set(true);
        }
    }

    /** Whether the peer was heard from since the last call (then {@link #heardRounds} grew); control thread only. */
    boolean collectHeard() {
        if (heardSinceCollected.getAndSet(false)) {
            heardRounds++;
            return true;
        }
        return false;
    }

    /**
     * How many collections found the peer heard from: zero until the first datagram after the handshake, and
     * growing only when something came; control thread only.
     */
    long heardRounds() {
        return heardRounds;
    }

    /** The generation of the addresses learned from this peer; -1 once it is gone. Any thread. */
    int learnedGeneration() {
        return learnedGeneration;
    }

    /** Ends what was learned from this peer so far (its claims changed); control thread only. */
    void forgetLearned() {
        if (learnedGeneration >= 0) {
            learnedGeneration = (learnedGeneration + 1) & Integer.MAX_VALUE;
        }
    }

    /** Ends what was learned from this peer for good (it left); control thread only. */
    void gone() {
        learnedGeneration = -1;
    }

    /** Encrypts one control message (NodeInfo, rotation, CLOSE); control thread only. */
    void encryptControl(ByteBuffer plain, ByteBuffer out) {
        cipher.encryptControl(plain, out);
    }

    /** Handles a rotation message; control thread only. */
    void handleRotation(RotationMessage message) {
        rotation.handle(message);
    }

    /** One rotation step; the message to send, if any. Control thread only. */
    Optional<RotationMessage> rotationTick() {
        return rotation.tick();
    }

    NodeInfo info() {
        return info;
    }

    /**
     * Keeps what the peer told about itself. Its peer list is dropped: the mesh rule reads it once on arrival,
     * and keeping up to 20 entries with node ids and addresses would cost about 3 KiB per peer.
     */
    void info(NodeInfo newInfo) {
        info = newInfo.withoutPeers();
    }

    List<IpRange> claims() {
        return info.claims();
    }

    /** Whether a key rotation step is due; advances the schedule when it is. */
    boolean rotationDue(Instant now, Duration interval) {
        if (now.isBefore(nextRotation)) {
            return false;
        }
        nextRotation = now.plus(interval);
        return true;
    }

    @Override
    public String toString() {
        return address + "/" + nodeId;
    }
}
