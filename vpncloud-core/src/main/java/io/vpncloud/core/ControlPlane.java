package io.vpncloud.core;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.VpnEvent;
import io.vpncloud.api.VpnEvent.DisconnectReason;
import io.vpncloud.core.crypto.HandshakeContext;
import io.vpncloud.core.crypto.HandshakeState;
import io.vpncloud.core.crypto.KeyRotation;
import io.vpncloud.core.crypto.SessionCipher;
import io.vpncloud.core.net.UdpTransport;
import io.vpncloud.core.peer.HandshakeLimiter;
import io.vpncloud.core.peer.NodeInfoSchedule;
import io.vpncloud.core.peer.PeerMeshRule;
import io.vpncloud.core.peer.PeerTable;
import io.vpncloud.core.route.ClaimRouter;
import io.vpncloud.core.wire.MessageType;
import io.vpncloud.core.wire.NodeInfo;
import io.vpncloud.core.wire.PeerInfo;
import io.vpncloud.core.wire.RotationMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Everything of a node that is not the data path: handshakes, the peer table, claims and routing updates, and the
 * once-per-tick housekeeping (timeouts, NodeInfo broadcasts, handshake resends, key rotation, reconnects, health).
 * All methods that change state hold this object's lock; the data paths only read the peer table and the router,
 * which are safe for lock-free reads.
 */
final class ControlPlane {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
    /** The initiator keeps a finished handshake this long to answer a repeated PONG with its PENG again. */
    private static final Duration HOLD_FINISHED_HANDSHAKE = Duration.ofSeconds(60);
    private static final Duration HANDSHAKE_RESEND = Duration.ofSeconds(1);
    private static final int MAX_ADVERTISED_PEERS = 20;

    private final NodeConfig config;
    private final NodeId nodeId;
    private final UdpTransport transport;
    private final TrafficCounters counters;
    private final EventDispatcher events;
    private final ClaimRouter<Peer> router;
    private final PeerTable<Peer> peers = new PeerTable<>();
    private final Map<PeerAddress, PendingHandshake> handshakes = new HashMap<>();
    private final HandshakeContext handshakeContext;
    private final HandshakeLimiter limiter;
    private final NodeInfoSchedule nodeInfoSchedule;
    private final List<ConfiguredPeer> configuredPeers;
    private final List<IpRange> ownClaims;
    private final SecureRandom random;
    private final ByteBuffer controlOut = ByteBuffer.allocate(4096);
    private boolean claimsWithdrawn;
    private boolean stopped;

    ControlPlane(NodeConfig config, NodeId nodeId, UdpTransport transport, TrafficCounters counters,
                 EventDispatcher events, ClaimRouter<Peer> router, HandshakeContext handshakeContext,
                 List<IpRange> ownClaims, SecureRandom random) {
        this.config = config;
        this.nodeId = nodeId;
        this.transport = transport;
        this.counters = counters;
        this.events = events;
        this.router = router;
        this.handshakeContext = handshakeContext;
        this.ownClaims = List.copyOf(ownClaims);
        this.random = random;
        this.limiter = new HandshakeLimiter(config.maxPendingHandshakes(), 4);
        this.nodeInfoSchedule = new NodeInfoSchedule(config.peerTimeout(), config.keepalive());
        Instant now = config.clock().instant();
        this.configuredPeers = new ArrayList<>();
        for (String peer : config.peers()) {
            configuredPeers.add(new ConfiguredPeer(HostPort.parse("peer", peer), now));
        }
    }

    /** The connected peer at this address, or null; lock-free, for the data path. */
    Peer peer(PeerAddress address) {
        return peers.byAddress(address);
    }

    // ---- handshakes ---------------------------------------------------------------------------------------

    /** An init message (first byte 0xFF) arrived. */
    synchronized void handleInit(PeerAddress from, ByteBuffer datagram) {
        if (stopped) {
            return;
        }
        Instant now = config.clock().instant();
        PendingHandshake pending = handshakes.get(from);
        if (pending != null && pending.finished() && !pending.state.expectsRepeatedPong(datagram)) {
            // The peer started over (it restarted): a fresh responder replaces the finished initiator.
            drop(from);
            pending = null;
        }
        if (pending == null) {
            if (!limiter.tryAcquire(from)) {
                counters.invalid.increment();
                LOG.debug("too many pending handshakes, dropped init message from {}", from);
                return;
            }
            pending = new PendingHandshake(HandshakeState.responder(handshakeContext), now);
            handshakes.put(from, pending);
        }
        HandshakeState.Step step = pending.state.handle(datagram.duplicate());
        onStep(from, pending, step, now);
    }

    private void onStep(PeerAddress from, PendingHandshake pending, HandshakeState.Step step, Instant now) {
        if (step instanceof HandshakeState.Send send) {
            sendRaw(send.datagram(), from);
        } else if (step instanceof HandshakeState.Established established) {
            if (established.datagramToSend() != null) {
                sendRaw(established.datagramToSend(), from);
            }
            if (established.wasInitiator()) {
                pending.finishedAt = now;
            } else {
                drop(from);
            }
            addPeer(from, established, now);
        } else if (step instanceof HandshakeState.Ignore ignore) {
            LOG.trace("handshake message from {} ignored: {}", from, ignore.reason());
        } else if (step instanceof HandshakeState.Abort abort) {
            drop(from);
            if (abort.selfConnection()) {
                LOG.info("{} is this node itself; not connecting to it again", from);
                selfAddresses.add(from);
            } else {
                counters.invalid.increment();
                LOG.info("handshake with {} failed: {}", from, abort.reason());
            }
        }
    }

    private final List<PeerAddress> selfAddresses = new ArrayList<>();

    /** Starts a handshake with {@code address} unless it is already a peer, in a handshake, or ourselves. */
    synchronized void connect(PeerAddress address) {
        if (stopped || peers.byAddress(address) != null || handshakes.containsKey(address)
                || selfAddresses.contains(address)) {
            return;
        }
        if (!limiter.tryAcquire(address)) {
            LOG.debug("too many pending handshakes, not connecting to {} now", address);
            return;
        }
        HandshakeState state = HandshakeState.initiator(handshakeContext);
        handshakes.put(address, new PendingHandshake(state, config.clock().instant()));
        LOG.debug("connecting to {}", address);
        sendRaw(state.start(), address);
    }

    private void drop(PeerAddress address) {
        if (handshakes.remove(address) != null) {
            limiter.release(address);
        }
    }

    // ---- peers ----------------------------------------------------------------------------------------------

    private void addPeer(PeerAddress address, HandshakeState.Established established, Instant now) {
        Peer previous = peers.byAddress(address);
        if (previous != null) {
            removePeer(previous, DisconnectReason.REPLACED, now);
        }
        SessionCipher cipher = established.cipher();
        boolean plaintext = established.plaintext();
        KeyRotation rotation = plaintext ? null
                : new KeyRotation(cipher, !established.wasInitiator(), random);
        Peer peer = new Peer(address, established.peerNodeId(), cipher, rotation, established.peerInfo(), now,
                config.rotationInterval());
        peers.put(address, peer.nodeId, peer);
        nodeInfoSchedule.peerAdvertised(peer.nodeId, advertisedTimeout(peer.info()));
        LOG.info("connected to {} ({}, {})", address, peer.nodeId, established.algorithm());
        events.fire(new VpnEvent.PeerConnected(address, peer.nodeId));
        applyClaims(peer);
        if (rotation != null && !established.wasInitiator()) {
            // The responder opens key rotation right after the handshake, as the reference does.
            rotation.start().ifPresent(message -> sendRotation(peer, message));
        }
        learnPeers(peer.info());
    }

    private void removePeer(Peer peer, DisconnectReason reason, Instant now) {
        if (!peers.remove(peer.address, peer)) {
            return;
        }
        nodeInfoSchedule.peerGone(peer.nodeId);
        LOG.info("peer {} disconnected: {}", peer, reason);
        events.fire(new VpnEvent.PeerDisconnected(peer.address, peer.nodeId, reason));
        for (ClaimRouter.OwnerChange<Peer> change : router.removePeer(peer)) {
            fireOwnerChange(change);
        }
    }

    synchronized void onNodeInfo(Peer peer, NodeInfo info) {
        if (stopped || peers.byAddress(peer.address) != peer) {
            return;
        }
        Instant now = config.clock().instant();
        peer.heardFrom(now);
        peer.info(info);
        nodeInfoSchedule.peerAdvertised(peer.nodeId, advertisedTimeout(info));
        applyClaims(peer);
        learnPeers(info);
    }

    synchronized void onKeepalive(Peer peer) {
        peer.heardFrom(config.clock().instant());
    }

    synchronized void onRotation(Peer peer, RotationMessage message) {
        if (peer.rotation != null) {
            peer.handleRotation(message);
        }
    }

    synchronized void onClose(Peer peer) {
        if (!stopped) {
            removePeer(peer, DisconnectReason.CLOSED, config.clock().instant());
        }
    }

    private void applyClaims(Peer peer) {
        for (ClaimRouter.OwnerChange<Peer> change : router.setClaims(peer, peer.claims())) {
            fireOwnerChange(change);
        }
    }

    private void fireOwnerChange(ClaimRouter.OwnerChange<Peer> change) {
        Optional<NodeId> oldOwner = Optional.ofNullable(change.oldOwner()).map(p -> p.nodeId);
        Optional<NodeId> newOwner = Optional.ofNullable(change.newOwner()).map(p -> p.nodeId);
        LOG.info("route {} now goes to {} (was {})", change.range(), describe(change.newOwner()),
                describe(change.oldOwner()));
        events.fire(new VpnEvent.RouteOwnerChanged(change.range(), oldOwner, newOwner));
    }

    private static String describe(Peer peer) {
        return peer == null ? "nobody" : peer.toString();
    }

    /** The mesh rule: connect to the peers our peers know, unless we know them already or they are us. */
    private void learnPeers(NodeInfo info) {
        for (PeerInfo candidate : info.peers()) {
            PeerMeshRule.target(candidate, nodeId, selfAddresses, peers).ifPresent(this::connect);
        }
    }

    private static Duration advertisedTimeout(NodeInfo info) {
        OptionalLong millis = info.peerTimeoutMillis();
        if (millis.isPresent()) {
            return Duration.ofMillis(millis.getAsLong());
        }
        OptionalInt seconds = info.peerTimeoutSeconds();
        return seconds.isPresent() ? Duration.ofSeconds(seconds.getAsInt()) : null;
    }

    // ---- housekeeping --------------------------------------------------------------------------------------

    /** One housekeeping round; runs every tick on the scheduler thread. */
    synchronized void tick() {
        if (stopped) {
            return;
        }
        Instant now = config.clock().instant();
        resendHandshakes(now);
        expirePeers(now);
        checkHealth();
        if (nodeInfoSchedule.due(now)) {
            broadcastNodeInfo();
            nodeInfoSchedule.sent(now);
        }
        rotateKeys(now);
        reconnectConfiguredPeers(now);
    }

    private void resendHandshakes(Instant now) {
        Iterator<Map.Entry<PeerAddress, PendingHandshake>> it = handshakes.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<PeerAddress, PendingHandshake> entry = it.next();
            PendingHandshake pending = entry.getValue();
            if (pending.finished()) {
                if (!now.isBefore(pending.finishedAt.plus(HOLD_FINISHED_HANDSHAKE))) {
                    it.remove();
                    limiter.release(entry.getKey());
                }
                continue;
            }
            if (now.isBefore(pending.lastSent.plus(HANDSHAKE_RESEND))) {
                continue;
            }
            pending.lastSent = now;
            byte[] again = pending.state.resendOnTick();
            if (pending.state.isAbandoned()) {
                LOG.debug("handshake with {} abandoned after too many resends", entry.getKey());
                it.remove();
                limiter.release(entry.getKey());
            } else if (again != null) {
                sendRaw(again, entry.getKey());
            }
        }
    }

    private void expirePeers(Instant now) {
        for (Peer peer : peers.snapshot()) {
            if (Duration.between(peer.lastHeard(), now).compareTo(config.peerTimeout()) > 0) {
                removePeer(peer, DisconnectReason.TIMEOUT, now);
                connect(peer.address); // the reference tries to reconnect to a timed-out peer at once
            }
        }
    }

    private void checkHealth() {
        if (config.healthCheck().isEmpty()) {
            return;
        }
        boolean healthy;
        try {
            healthy = config.healthCheck().get().healthy();
        } catch (RuntimeException e) {
            LOG.warn("health check failed with {}", e.toString());
            healthy = false;
        }
        if (healthy == claimsWithdrawn) {
            claimsWithdrawn = !healthy;
            LOG.info(healthy ? "health check passes: claiming {} again" : "health check fails: withdrawing {}",
                    ownClaims);
            broadcastNodeInfo();
        }
    }

    private void rotateKeys(Instant now) {
        for (Peer peer : peers.snapshot()) {
            if (peer.rotation != null && peer.rotationDue(now, config.rotationInterval())) {
                peer.rotationTick().ifPresent(message -> sendRotation(peer, message));
            }
        }
    }

    private void reconnectConfiguredPeers(Instant now) {
        for (ConfiguredPeer configured : configuredPeers) {
            configured.tick(now, this);
        }
    }

    /** Whether a handshake with this address is under way or it is connected. */
    boolean connectedOrConnecting(PeerAddress address) {
        return peers.byAddress(address) != null || handshakes.containsKey(address);
    }

    boolean isConnected(PeerAddress address) {
        return peers.byAddress(address) != null;
    }

    // ---- sending control messages ---------------------------------------------------------------------------

    /** The NodeInfo this node advertises now. */
    synchronized NodeInfo ownNodeInfo() {
        List<Peer> connected = new ArrayList<>(peers.snapshot());
        if (connected.size() > MAX_ADVERTISED_PEERS) {
            Collections.shuffle(connected, random);
            connected = connected.subList(0, MAX_ADVERTISED_PEERS);
        }
        List<PeerInfo> peerInfos = new ArrayList<>(connected.size());
        for (Peer peer : connected) {
            peerInfos.add(new PeerInfo(Optional.of(peer.nodeId), List.of(peer.address)));
        }
        long timeoutMillis = config.peerTimeout().toMillis();
        int timeoutSeconds = (int) Math.min(65535, Math.max(1, (timeoutMillis + 999) / 1000));
        return new NodeInfo(nodeId, peerInfos, claimsWithdrawn ? List.of() : ownClaims, OptionalInt.of(timeoutSeconds),
                config.advertiseAddresses(), OptionalLong.of(timeoutMillis), List.of());
    }

    private void broadcastNodeInfo() {
        NodeInfo info = ownNodeInfo();
        for (Peer peer : peers.snapshot()) {
            sendNodeInfo(peer, info);
        }
    }

    private void sendNodeInfo(Peer peer, NodeInfo info) {
        ByteBuffer plain = peer.controlPlain.clear();
        plain.put((byte) MessageType.NODE_INFO);
        info.encode(plain);
        sendSession(peer, plain.flip());
    }

    private void sendRotation(Peer peer, RotationMessage message) {
        ByteBuffer plain = peer.controlPlain.clear();
        plain.put((byte) MessageType.ROTATION);
        message.encode(plain);
        sendSession(peer, plain.flip());
    }

    private void sendClose(Peer peer) {
        ByteBuffer plain = peer.controlPlain.clear();
        plain.put((byte) MessageType.CLOSE);
        sendSession(peer, plain.flip());
    }

    private void sendSession(Peer peer, ByteBuffer plain) {
        ByteBuffer out = peer.controlOut.clear();
        peer.encrypt(plain, out);
        try {
            transport.send(out.flip(), peer.socketAddress);
        } catch (IOException e) {
            LOG.debug("sending to {} failed: {}", peer, e.toString());
        }
    }

    private void sendRaw(byte[] datagram, PeerAddress to) {
        try {
            transport.send(controlOut.clear().put(datagram).flip(), to.toSocketAddress());
        } catch (IOException e) {
            LOG.debug("sending to {} failed: {}", to, e.toString());
        }
    }

    // ---- life cycle and status ------------------------------------------------------------------------------

    /** Stops all control activity; when graceful, tells every peer first (CLOSE) so that it fails over at once. */
    synchronized void shutdown(boolean graceful) {
        if (stopped) {
            return;
        }
        stopped = true;
        Instant now = config.clock().instant();
        for (Peer peer : peers.snapshot()) {
            if (graceful) {
                sendClose(peer);
            }
            peers.remove(peer.address, peer);
            router.removePeer(peer);
            events.fire(new VpnEvent.PeerDisconnected(peer.address, peer.nodeId, DisconnectReason.SHUTDOWN));
        }
        handshakes.clear();
        LOG.debug("control plane stopped at {}", now);
    }

    synchronized NodeStatus status(java.net.InetSocketAddress listen, TrafficCounters traffic) {
        List<NodeStatus.Peer> peerList = new ArrayList<>();
        for (Peer peer : peers.snapshot()) {
            peerList.add(new NodeStatus.Peer(peer.address, peer.nodeId, peer.cipher.algorithm().name(),
                    peer.connectedAt, peer.lastHeard(), peer.claims()));
        }
        List<NodeStatus.Claim> claims = new ArrayList<>();
        for (ClaimRouter.Entry<Peer> entry : router.table()) {
            claims.add(new NodeStatus.Claim(entry.range(), entry.peer().nodeId, entry.peer().address, entry.active()));
        }
        return new NodeStatus(nodeId, listen, peerList, claims, traffic.snapshot());
    }

    /** An unfinished handshake, or a finished initiator's kept to answer a repeated PONG. */
    private static final class PendingHandshake {
        final HandshakeState state;
        Instant lastSent;
        Instant finishedAt;

        PendingHandshake(HandshakeState state, Instant now) {
            this.state = state;
            this.lastSent = now;
        }

        boolean finished() {
            return finishedAt != null;
        }
    }
}
