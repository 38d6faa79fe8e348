package io.vpncloud.core;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.core.crypto.KeyRotation;
import io.vpncloud.core.crypto.SessionCipher;
import io.vpncloud.core.wire.NodeInfo;
import io.vpncloud.core.wire.RotationMessage;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One connected peer: its session and what it told us. The session cipher is shared by the send path (data) and
 * the control plane (NodeInfo, rotation, CLOSE); {@link #encrypt} serialises them because the send nonce must
 * advance once per message.
 */
final class Peer {
    final PeerAddress address;
    final InetSocketAddress socketAddress;
    final NodeId nodeId;
    final SessionCipher cipher;
    final KeyRotation rotation;
    final Instant connectedAt;
    /** Whether the session is unencrypted (then a lone 0xFF is the peer's CLOSE). */
    final boolean plaintext;

    /** Written by the control plane only; read by status snapshots. */
    private volatile NodeInfo info;
    private Instant nextRotation;
    /** Our claims that this peer routes to us (from its RoutesInUse extension); control plane only. */
    Set<IpRange> routedToUs = Set.of();

    private final Object sendLock = new Object();
    /** Whether anything from the peer decrypted since the handshake; see {@link HalfOpenPeers}. */
    private volatile boolean heardSinceHandshake;

    Peer(PeerAddress address, NodeId nodeId, SessionCipher cipher, KeyRotation rotation, NodeInfo info, Instant now,
         Duration rotationInterval) {
        this.address = address;
        this.socketAddress = address.toSocketAddress();
        this.nodeId = nodeId;
        this.cipher = cipher;
        this.rotation = rotation;
        this.plaintext = rotation == null;
        this.connectedAt = now;
        this.info = info.withoutPeers();
        this.nextRotation = now.plus(rotationInterval);
    }

    /** Notes that a session message from the peer decrypted; the receive path calls it for every one. */
    void heard() {
        if (!heardSinceHandshake) {
            heardSinceHandshake = true;
        }
    }

    boolean heardSinceHandshake() {
        return heardSinceHandshake;
    }

    /** Encrypts one session message; safe to call from the send path and the control plane at once. */
    void encrypt(ByteBuffer plain, ByteBuffer out) {
        synchronized (sendLock) {
            cipher.encrypt(plain, out);
        }
    }

    /** Handles a rotation message; may switch the sending key, so it excludes concurrent encryption. */
    void handleRotation(RotationMessage message) {
        synchronized (sendLock) {
            rotation.handle(message);
        }
    }

    /** One rotation step; the message to send, if any. */
    Optional<RotationMessage> rotationTick() {
        synchronized (sendLock) {
            return rotation.tick();
        }
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
