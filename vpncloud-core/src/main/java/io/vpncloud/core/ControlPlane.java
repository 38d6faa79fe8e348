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
import io.vpncloud.core.peer.MeshDecision;
import io.vpncloud.core.peer.MeshView;
import io.vpncloud.core.peer.PeerEntry;
import io.vpncloud.core.peer.NodeInfoSchedule;
import io.vpncloud.core.peer.PeerMeshRule;
import io.vpncloud.core.peer.PeerTable;
import io.vpncloud.core.route.ClaimEntry;
import io.vpncloud.core.route.ClaimRouter;
import io.vpncloud.core.route.OwnerChange;
import io.vpncloud.core.wire.MalformedMessageException;
import io.vpncloud.core.wire.MessageType;
import io.vpncloud.core.wire.RoutesInUse;
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
import java.util.HashSet;
import java.util.Set;
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
    private static final Duration STALE_RESPONDER = Duration.ofSeconds(1);
    private static final int MAX_ADVERTISED_PEERS = 20;

    private final NodeConfig config;
    private final NodeId nodeId;
    private final UdpTransport transport;
    private final TrafficCounters counters;
    private final EventDispatcher events;
    private final ClaimRouter<Peer> router;
    private final PeerTable<Peer> peers;
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
    /** A route owner changed: peers should hear our RoutesInUse soon, so servers learn their role. */
    private boolean routesChanged;
    private final Map<IpRange, VpnEvent.Role> roles = new HashMap<>();

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
        this.peers = new PeerTable<>(config.peerTimeout());
        this.limiter = new HandshakeLimiter(config.maxPendingHandshakes(), HandshakeLimiter.DEFAULT_MAX_PER_SOURCE,
                Math.min(HandshakeLimiter.DEFAULT_RESERVED_FOR_CONFIGURED, config.maxPendingHandshakes() / 2));
        this.nodeInfoSchedule = new NodeInfoSchedule(config.peerTimeout(), config.keepalive().orElse(null));
        Instant now = config.clock().instant();
        for (IpRange claim : this.ownClaims) {
            roles.put(claim, VpnEvent.Role.STANDBY);
        }
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
        boolean fresh = pending == null;
        if (fresh) {
            if (!limiter.tryAcquire(from) && !(evictStaleResponder(now) && limiter.tryAcquire(from))) {
                counters.invalid.increment();
                LOG.debug("too many pending handshakes, dropped init message from {}", from);
                return;
            }
            pending = new PendingHandshake(HandshakeState.responder(handshakeContext), now, true);
            handshakes.put(from, pending);
        }
        HandshakeState.Step step = pending.state.handle(datagram.duplicate());
        onStep(from, pending, step, now);
        if (fresh && !(step instanceof HandshakeState.Send || step instanceof HandshakeState.Established)) {
            drop(from); // an unusable first message must not hold a handshake slot
        }
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
            counters.invalid.increment();
            LOG.debug("handshake message from {} ignored: {}", from, ignore.reason());
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

    private final Set<PeerAddress> selfAddresses = new HashSet<>();

    /** Starts a handshake with {@code address} unless it is already a peer, in a handshake, or ourselves. */
    synchronized void connect(PeerAddress address) {
        connect(address, false);
    }

    /**
     * Starts a handshake; configured peers draw on a reserved share of the handshake limit, so that a flood of
     * init messages cannot keep this node from reaching them.
     */
    synchronized void connect(PeerAddress address, boolean configured) {
        if (stopped || peers.byAddress(address) != null || handshakes.containsKey(address)
                || selfAddresses.contains(address)) {
            return;
        }
        if (!(configured ? limiter.tryAcquireConfigured(address) : limiter.tryAcquire(address))) {
            LOG.debug("too many pending handshakes, not connecting to {} now", address);
            return;
        }
        HandshakeState state = HandshakeState.initiator(handshakeContext);
        handshakes.put(address, new PendingHandshake(state, config.clock().instant(), false));
        LOG.debug("connecting to {}", address);
        sendRaw(state.start(), address);
    }

    /**
     * Makes room when the handshake limit is reached: the oldest responder that has waited longer than
     * {@link #STALE_RESPONDER} for its PENG goes. An honest initiator answers a PONG within a round trip and
     * re-sends its PING if it lost ours, so this only hurts senders that never finish: a flood of init messages
     * cannot keep the slots for the two minutes of resends a handshake may take.
     */
    private boolean evictStaleResponder(Instant now) {
        PeerAddress oldest = null;
        Instant oldestStart = now.minus(STALE_RESPONDER);
        for (Map.Entry<PeerAddress, PendingHandshake> entry : handshakes.entrySet()) {
            PendingHandshake pending = entry.getValue();
            if (pending.responder && !pending.finished() && pending.startedAt.isBefore(oldestStart)) {
                oldest = entry.getKey();
                oldestStart = pending.startedAt;
            }
        }
        if (oldest == null) {
            return false;
        }
        LOG.debug("handshake limit reached: dropping the unfinished handshake with {}", oldest);
        drop(oldest);
        return true;
    }

    private void drop(PeerAddress address) {
        if (handshakes.remove(address) != null) {
            limiter.release(address);
        }
    }

    // ---- peers ----------------------------------------------------------------------------------------------

    private void addPeer(PeerAddress address, HandshakeState.Established established, Instant now) {
        SessionCipher cipher = established.cipher();
        boolean plaintext = established.plaintext();
        KeyRotation rotation = plaintext ? null
                : new KeyRotation(cipher, !established.wasInitiator(), random);
        Peer peer = new Peer(address, established.peerNodeId(), cipher, rotation, established.peerInfo(), now,
                config.rotationInterval());
        for (PeerEntry<Peer> replaced : peers.put(peer.nodeId, address, peer, now)) {
            // The same node (restarted, or reached again): its old session and claims go, the new ones come.
            dropPeer(replaced.peer(), DisconnectReason.REPLACED);
        }
        LOG.info("connected to {} ({}, {})", address, peer.nodeId, established.algorithm());
        events.fire(new VpnEvent.PeerConnected(address, peer.nodeId));
        applyClaims(peer);
        if (rotation != null && !established.wasInitiator()) {
            // The responder opens key rotation right after the handshake, as the reference does.
            rotation.start().ifPresent(message -> sendRotation(peer, message));
        }
        learnPeers(peer.info());
    }

    private void removePeer(Peer peer, DisconnectReason reason) {
        if (peers.remove(peer) != null) {
            dropPeer(peer, reason);
        }
    }

    /** Announces a peer that left the table and drops its claims. */
    private void dropPeer(Peer peer, DisconnectReason reason) {
        LOG.info("peer {} disconnected: {}", peer, reason);
        events.fire(new VpnEvent.PeerDisconnected(peer.address, peer.nodeId, reason));
        for (OwnerChange<Peer> change : router.removePeer(peer)) {
            fireOwnerChange(change);
        }
        if (!peer.routedToUs.isEmpty()) {
            updateRoles();
        }
    }

    synchronized void onNodeInfo(Peer peer, NodeInfo info) {
        if (stopped || peers.entry(peer) == null) {
            return;
        }
        peers.heardFrom(peer, config.clock().instant());
        peer.info(info);
        applyClaims(peer);
        learnRoutesToUs(peer, info);
        learnPeers(info);
    }

    synchronized void onKeepalive(Peer peer) {
        peers.heardFrom(peer, config.clock().instant());
    }

    synchronized void onRotation(Peer peer, RotationMessage message) {
        if (peer.rotation != null) {
            peer.handleRotation(message);
        }
    }

    synchronized void onClose(Peer peer) {
        if (!stopped) {
            removePeer(peer, DisconnectReason.CLOSED);
        }
    }

    private void applyClaims(Peer peer) {
        for (OwnerChange<Peer> change : router.setClaims(peer, peer.claims())) {
            fireOwnerChange(change);
        }
    }

    private void fireOwnerChange(OwnerChange<Peer> change) {
        Optional<NodeId> oldOwner = Optional.ofNullable(change.oldOwner()).map(p -> p.nodeId);
        Optional<NodeId> newOwner = Optional.ofNullable(change.newOwner()).map(p -> p.nodeId);
        LOG.info("route {} now goes to {} (was {})", change.range(), describe(change.newOwner()),
                describe(change.oldOwner()));
        events.fire(new VpnEvent.RouteOwnerChanged(change.range(), oldOwner, newOwner));
        routesChanged = true;
    }

    // ---- roles: whether peers route our claims to us --------------------------------------------------------

    private void learnRoutesToUs(Peer peer, NodeInfo info) {
        Set<IpRange> toUs = new HashSet<>();
        try {
            for (RoutesInUse.Route route : RoutesInUse.from(info).routes()) {
                if (route.owner().equals(nodeId)) {
                    toUs.add(route.range());
                }
            }
        } catch (MalformedMessageException e) {
            LOG.debug("ignoring a malformed routes extension from {}: {}", peer, e.reason());
        }
        peer.routedToUs = Set.copyOf(toUs);
        updateRoles();
    }

    /** A claim is active while some peer routes it to us, standby otherwise; changes are announced. */
    private void updateRoles() {
        for (Map.Entry<IpRange, VpnEvent.Role> entry : roles.entrySet()) {
            VpnEvent.Role role = usersOf(entry.getKey()) > 0 ? VpnEvent.Role.ACTIVE : VpnEvent.Role.STANDBY;
            if (role != entry.getValue()) {
                entry.setValue(role);
                LOG.info("this node is now {} for {}", role, entry.getKey());
                events.fire(new VpnEvent.RoleChanged(entry.getKey(), role));
            }
        }
    }

    private int usersOf(IpRange claim) {
        if (claimsWithdrawn) {
            return 0;
        }
        int users = 0;
        for (Peer peer : peerList()) {
            if (peer.routedToUs.contains(claim)) {
                users++;
            }
        }
        return users;
    }

    /**
     * Which claimant this node routes each range to, for the peers' role awareness. Ranges this node claims itself
     * are left out: its own traffic to them stays local, so it is nobody's user.
     */
    private RoutesInUse routesInUse() {
        List<RoutesInUse.Route> routes = new ArrayList<>();
        for (ClaimEntry<Peer> entry : router.table()) {
            if (routes.size() == RoutesInUse.MAX_ROUTES) {
                break;
            }
            if (ownClaims.contains(entry.range())) {
                continue;
            }
            routes.add(new RoutesInUse.Route(entry.range(), entry.owner().nodeId));
        }
        return new RoutesInUse(routes);
    }

    private static String describe(Peer peer) {
        return peer == null ? "nobody" : peer.toString();
    }

    /** The mesh rule: connect to the peers our peers know, unless we know them already or they are us. */
    private void learnPeers(NodeInfo info) {
        if (info.peers().isEmpty()) {
            return;
        }
        MeshView view = new MeshView(nodeId, selfAddresses, peers.addresses(), peers.nodeIds(), handshakes.keySet());
        for (PeerInfo candidate : info.peers()) {
            MeshDecision decision = PeerMeshRule.decide(candidate.nodeId().orElse(null), candidate.addresses(), view);
            if (decision.connect()) {
                decision.addresses().forEach(this::connect);
            }
        }
    }

    /** The smallest peer timeout the peers advertised (null without peers); our broadcasts must beat it. */
    private Duration minAdvertisedTimeout() {
        Duration min = null;
        for (PeerEntry<Peer> entry : peers.snapshot()) {
            Duration timeout = advertisedTimeout(entry.peer().info());
            if (min == null || timeout.compareTo(min) < 0) {
                min = timeout;
            }
        }
        return min;
    }

    /** What a peer advertised: milliseconds from a Java peer, seconds from the reference, 300 s when it said nothing. */
    private static Duration advertisedTimeout(NodeInfo info) {
        OptionalLong millis = info.peerTimeoutMillis();
        if (millis.isPresent()) {
            return Duration.ofMillis(millis.getAsLong());
        }
        OptionalInt seconds = info.peerTimeoutSeconds();
        return seconds.isPresent() ? Duration.ofSeconds(seconds.getAsInt())
                : NodeInfoSchedule.REFERENCE_TIMEOUT_WITHOUT_PEERS;
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
        if (routesChanged || nodeInfoSchedule.due(now, minAdvertisedTimeout())) {
            routesChanged = false;
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
        for (Peer peer : peers.expired(now)) {
            removePeer(peer, DisconnectReason.TIMEOUT);
            connect(peer.address); // the reference tries to reconnect to a timed-out peer at once
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
            updateRoles();
        }
    }

    private void rotateKeys(Instant now) {
        for (Peer peer : peerList()) {
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

    private List<Peer> peerList() {
        List<Peer> list = new ArrayList<>();
        for (PeerEntry<Peer> entry : peers.snapshot()) {
            list.add(entry.peer());
        }
        return list;
    }

    // ---- sending control messages ---------------------------------------------------------------------------

    /** The NodeInfo this node advertises now. */
    synchronized NodeInfo ownNodeInfo() {
        List<Peer> connected = peerList();
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
                config.advertiseAddresses(), OptionalLong.of(timeoutMillis), List.of(routesInUse().toPart()));
    }

    private void broadcastNodeInfo() {
        NodeInfo info = ownNodeInfo();
        for (Peer peer : peerList()) {
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
        for (Peer peer : peerList()) {
            if (graceful) {
                sendClose(peer);
            }
            peers.remove(peer);
            router.removePeer(peer);
            events.fire(new VpnEvent.PeerDisconnected(peer.address, peer.nodeId, DisconnectReason.SHUTDOWN));
        }
        handshakes.clear();
        LOG.debug("control plane stopped at {}", now);
    }

    synchronized NodeStatus status(java.net.InetSocketAddress listen, TrafficCounters traffic) {
        List<NodeStatus.Peer> peerList = new ArrayList<>();
        for (PeerEntry<Peer> entry : peers.snapshot()) {
            Peer peer = entry.peer();
            peerList.add(new NodeStatus.Peer(peer.address, peer.nodeId, peer.cipher.algorithm().name(),
                    peer.connectedAt, entry.lastHeard(), peer.claims()));
        }
        List<NodeStatus.Claim> claims = new ArrayList<>();
        for (ClaimEntry<Peer> entry : router.table()) {
            boolean active = true;
            for (Peer claimant : entry.claimants()) {
                claims.add(new NodeStatus.Claim(entry.range(), claimant.nodeId, claimant.address, active));
                active = false;
            }
        }
        List<NodeStatus.OwnClaim> own = new ArrayList<>();
        for (IpRange claim : ownClaims) {
            own.add(new NodeStatus.OwnClaim(claim, roles.get(claim), usersOf(claim)));
        }
        return new NodeStatus(nodeId, listen, peerList, claims, own, traffic.snapshot());
    }

    /** An unfinished handshake, or a finished initiator's kept to answer a repeated PONG. */
    private static final class PendingHandshake {
        final HandshakeState state;
        final boolean responder;
        final Instant startedAt;
        Instant lastSent;
        Instant finishedAt;

        PendingHandshake(HandshakeState state, Instant now, boolean responder) {
            this.state = state;
            this.responder = responder;
            this.startedAt = now;
            this.lastSent = now;
        }

        boolean finished() {
            return finishedAt != null;
        }
    }
}
