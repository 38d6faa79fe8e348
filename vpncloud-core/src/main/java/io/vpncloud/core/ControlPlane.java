package io.vpncloud.core;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.SendError;
import io.vpncloud.api.UdpSocket;
import io.vpncloud.api.VpnEvent;
import io.vpncloud.api.VpnEvent.DisconnectReason;
import io.vpncloud.core.crypto.HandshakeContext;
import io.vpncloud.core.crypto.HandshakeState;
import io.vpncloud.core.crypto.KeyRotation;
import io.vpncloud.core.peer.HandshakeLimiter;
import io.vpncloud.core.peer.MeshDecision;
import io.vpncloud.core.peer.MeshView;
import io.vpncloud.core.peer.NodeInfoSchedule;
import io.vpncloud.core.peer.PeerEntry;
import io.vpncloud.core.peer.PeerMeshRule;
import io.vpncloud.core.peer.PeerTable;
import io.vpncloud.core.route.ClaimEntry;
import io.vpncloud.core.route.ClaimRouter;
import io.vpncloud.core.route.OwnerChange;
import io.vpncloud.core.wire.MalformedMessageException;
import io.vpncloud.core.wire.MessageType;
import io.vpncloud.core.wire.NodeInfo;
import io.vpncloud.core.wire.PeerInfo;
import io.vpncloud.core.wire.ProbeSupport;
import io.vpncloud.core.wire.RotationMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Everything of a node that is not the data path: handshakes, the peer table, claims and routing updates, roles,
 * and the once-per-tick timers (timeouts, NodeInfo broadcasts, handshake resends, key rotation, reconnects). Owned by
 * the control thread ({@link ControlLoop}): every method runs on it, so nothing here is locked. The data threads
 * read only what this class publishes for them: the peer table's lock-free address index and the router's
 * immutable snapshots.
 */
final class ControlPlane implements PeerIndex {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
    private static final int MAX_ADVERTISED_PEERS = 20;

    private final NodeConfig config;
    private final NodeId nodeId;
    private final TrafficCounters counters;
    private final EventDispatcher events;
    private final ClaimRouter<Peer> router;
    private final Forwarding forwarding;
    private final PeerTable<Peer> peers;
    private final PendingHandshakes handshakes;
    private final HandshakeContext handshakeContext;
    private final NodeInfoSchedule nodeInfoSchedule;
    private final List<ConfiguredPeer> configuredPeers = new ArrayList<>();
    private final List<IpRange> ownClaims;
    private final RoleTracker roles;
    private final ControlSender send;
    private final SecureRandom random;
    /** Addresses that turned out to be this node itself; never connected to again. */
    private final Set<PeerAddress> selfAddresses = new HashSet<>();
    private boolean claimsWithdrawn;
    /** A route owner changed: peers should hear our routes soon, so that servers learn their role. */
    private boolean routesChanged;
    private final AnnouncementTracker announcements = new AnnouncementTracker();
    private final HalfOpenPeers halfOpen = new HalfOpenPeers();
    private final Redials redials = new Redials();
    private final AsyncResolver resolver;
    /** Peers with a running crash test ({@link Peer#suspicion}), so the frequent checks do not walk every peer. */
    private final List<Peer> suspected = new ArrayList<>();
    private boolean stopped;
    /** Told of every new peer (the receive path may hold datagrams that came before the handshake finished). */
    private Runnable peerAddedHook = () -> { };

    ControlPlane(NodeConfig config, NodeId nodeId, UdpSocket socket, TrafficCounters counters,
                 EventDispatcher events, ClaimRouter<Peer> router, Forwarding forwarding,
                 HandshakeContext handshakeContext, List<IpRange> ownClaims, SecureRandom random,
                 AsyncResolver resolver) {
        this.config = config;
        this.nodeId = nodeId;
        this.counters = counters;
        this.events = events;
        this.router = router;
        this.forwarding = forwarding;
        this.handshakeContext = handshakeContext;
        this.ownClaims = List.copyOf(ownClaims);
        this.random = random;
        this.resolver = resolver;
        this.send = new ControlSender(socket, counters);
        this.peers = new PeerTable<>(config.peerTimeout());
        this.handshakes = new PendingHandshakes(new HandshakeLimiter(config.maxPendingHandshakes(),
                HandshakeLimiter.DEFAULT_MAX_PER_SOURCE,
                Math.min(HandshakeLimiter.DEFAULT_RESERVED_FOR_CONFIGURED, config.maxPendingHandshakes() / 2),
                Math.max(1, Math.min(HandshakeLimiter.DEFAULT_MAX_REDIALS, config.maxPendingHandshakes() / 4))));
        this.nodeInfoSchedule = new NodeInfoSchedule(config.peerTimeout(), config.keepalive().orElse(null));
        this.roles = new RoleTracker(nodeId, this.ownClaims, events, config.spreadFlows());
        Instant now = config.clock().instant();
        for (String peer : config.peers()) {
            configuredPeers.add(new ConfiguredPeer(HostPort.parse("peer", peer), now));
        }
    }

    /** Runs {@code hook} on the control thread after each new peer is in the table. */
    void onPeerAdded(Runnable hook) {
        peerAddedHook = hook;
    }

    /** Whether a handshake with {@code address} is under way; lock-free, for the receive thread. */
    @Override
    public boolean inHandshake(PeerAddress address) {
        return handshakes.isUnderWay(address);
    }

    /** The connected peer at this address, or null; lock-free, for the receive thread. */
    @Override
    public Peer peer(PeerAddress address) {
        return peers.byAddress(address);
    }

    boolean isConnected(PeerAddress address) {
        return peers.byAddress(address) != null;
    }

    // ---- handshakes ---------------------------------------------------------------------------------------

    /** An init message (first byte 0xFF) arrived. */
    void handleInit(PeerAddress from, ByteBuffer datagram) {
        if (stopped) {
            return;
        }
        Instant now = config.clock().instant();
        PendingHandshakes.Pending pending = handshakes.get(from);
        if (pending != null && pending.finished() && !pending.state.expectsRepeatedPong(datagram)) {
            // The peer started over (it restarted): a fresh responder replaces the finished initiator.
            handshakes.drop(from);
            pending = null;
        }
        boolean fresh = pending == null;
        if (fresh) {
            pending = handshakes.startResponder(from, HandshakeState.responder(handshakeContext), now);
            if (pending == null) {
                counters.invalid.increment();
                LOG.debug("too many pending handshakes, dropped init message from {}", from);
                return;
            }
        }
        HandshakeState.Step step = pending.state.handle(datagram.duplicate());
        onStep(from, pending, step, now);
        if (fresh && !(step instanceof HandshakeState.Send || step instanceof HandshakeState.Established)) {
            handshakes.drop(from); // an unusable first message must not hold a handshake slot
        }
    }

    private void onStep(PeerAddress from, PendingHandshakes.Pending pending, HandshakeState.Step step, Instant now) {
        if (step instanceof HandshakeState.Send message) {
            send.init(message.datagram(), from);
        } else if (step instanceof HandshakeState.Established established) {
            if (established.datagramToSend() != null) {
                send.init(established.datagramToSend(), from);
            }
            addPeer(from, established, now); // before the handshake goes, so the receive path sees one or the other
            if (established.wasInitiator()) {
                handshakes.finish(from, pending, now);
            } else {
                handshakes.drop(from);
            }
        } else if (step instanceof HandshakeState.Ignore ignore) {
            counters.invalid.increment();
            LOG.debug("handshake message from {} ignored: {}", from, ignore.reason());
        } else if (step instanceof HandshakeState.Abort abort) {
            handshakes.drop(from);
            if (abort.selfConnection()) {
                LOG.info("{} is this node itself; not connecting to it again", from);
                selfAddresses.add(from);
            } else {
                counters.invalid.increment();
                LOG.info("handshake with {} failed: {}", from, abort.reason());
            }
        }
    }

    /** Starts a handshake with {@code address} unless it is already a peer, in a handshake, or ourselves. */
    void connect(PeerAddress address) {
        connect(address, false);
    }

    /** Starts a handshake; {@code configured} peers draw on a reserved share of the handshake limit. */
    void connect(PeerAddress address, boolean configured) {
        if (stopped || isConnected(address) || handshakes.contains(address) || selfAddresses.contains(address)) {
            return;
        }
        HandshakeState state = HandshakeState.initiator(handshakeContext);
        if (!handshakes.startInitiator(address, state, configured, config.clock().instant())) {
            LOG.debug("too many pending handshakes, not connecting to {} now", address);
            return;
        }
        LOG.debug("connecting to {}", address);
        send.init(state.start(), address);
    }

    // ---- peers ----------------------------------------------------------------------------------------------

    private void addPeer(PeerAddress address, HandshakeState.Established established, Instant now) {
        KeyRotation rotation = established.plaintext() ? null
                : new KeyRotation(established.cipher(), !established.wasInitiator(), random);
        Peer peer = new Peer(address, established.peerNodeId(), established.cipher(), rotation,
                established.peerInfo(), now, config.rotationInterval());
        for (PeerEntry<Peer> replaced : peers.put(peer.nodeId, address, peer, now)) {
            // The same node (restarted, or reached again): its old session and claims go, the new ones come.
            dropPeer(replaced.peer(), DisconnectReason.REPLACED);
        }
        forwarding.publish(peers.peers());
        LOG.info("connected to {} ({}, {})", address, peer.nodeId, established.algorithm());
        peerAddedHook.run();
        events.fire(new VpnEvent.PeerConnected(address, peer.nodeId));
        learnFrom(peer, established.peerInfo()); // with its peer list, which the peer object does not keep
        if (rotation != null && established.wasInitiator()) {
            halfOpen.expectAnswer(peer);
        }
        if (rotation != null && !established.wasInitiator()) {
            // The responder opens key rotation right after the handshake, as the reference does.
            rotation.start().ifPresent(message -> send.rotation(peer, message));
        }
    }

    private void removePeer(Peer peer, DisconnectReason reason) {
        if (peers.remove(peer) != null) {
            dropPeer(peer, reason);
        }
    }

    /** Announces a peer that left the table and drops its claims. */
    private void dropPeer(Peer peer, DisconnectReason reason) {
        LOG.info("peer {} disconnected: {}", peer, reason);
        peer.gone();
        forwarding.publish(peers.peers());
        events.fire(new VpnEvent.PeerDisconnected(peer.address, peer.nodeId, reason));
        long claimsBefore = router.version();
        for (OwnerChange<Peer> change : router.removePeer(peer)) {
            fireOwnerChange(change);
        }
        noteSpreadChange(claimsBefore);
        if (!peer.routedToUs.isEmpty()) {
            roles.update(peerList(), claimsWithdrawn);
        }
    }

    /** A decrypted session message of a connected peer, handed over by the receive thread. */
    void onMessage(Peer peer, int type, byte[] body) {
        if (stopped || peers.entry(peer) == null) {
            return; // the peer left (or was replaced) after the message arrived
        }
        try {
            switch (type) {
                case MessageType.NODE_INFO -> onNodeInfo(peer, NodeInfo.decode(ByteBuffer.wrap(body)));
                case MessageType.ROTATION -> onRotation(peer, RotationMessage.decode(ByteBuffer.wrap(body)));
                case MessageType.CLOSE -> onClose(peer);
                case MessageType.PROBE -> send.keepalive(peer); // the answer: any authenticated datagram will do
                default -> counters.invalid.increment();
            }
        } catch (MalformedMessageException e) {
            counters.invalid.increment();
            LOG.debug("malformed message of type {} from {}: {}", type, peer, e.reason());
        }
    }

    private void onNodeInfo(Peer peer, NodeInfo info) {
        if (stopped || peers.entry(peer) == null) {
            return;
        }
        peers.heardFrom(peer, config.clock().instant());
        if (!peer.claims().equals(info.claims())) {
            peer.forgetLearned(); // as the reference drops its cached lookups of a peer whose claims change
        }
        peer.info(info);
        learnFrom(peer, info);
    }

    /** What a peer's NodeInfo tells: its claims, where it routes our claims, and peers to mesh with. */
    private void learnFrom(Peer peer, NodeInfo info) {
        long claimsBefore = router.version();
        for (OwnerChange<Peer> change : router.setClaims(peer, info.claims())) {
            fireOwnerChange(change);
        }
        noteSpreadChange(claimsBefore);
        Set<IpRange> routedToUsBefore = peer.routedToUs;
        roles.learn(peer, info);
        if (!peer.routedToUs.equals(routedToUsBefore)) {
            // Only then can a role change; recomputing for every NodeInfo walked all peers for each of them,
            // which in a large mesh with a short keepalive was most of the control plane's CPU time.
            roles.update(peerList(), claimsWithdrawn);
        }
        meshWith(info.peers());
    }

    private void onRotation(Peer peer, RotationMessage message) {
        if (peer.rotation != null) {
            peer.handleRotation(message);
        }
    }

    private void onClose(Peer peer) {
        if (!stopped) {
            removePeer(peer, DisconnectReason.CLOSED);
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

    /**
     * When spreading flows, every claimant of a range gets traffic, so any change of claimants (not only of the
     * first) changes the routes in use that the servers learn their role from.
     */
    private void noteSpreadChange(long claimsBefore) {
        if (config.spreadFlows() && router.version() != claimsBefore) {
            routesChanged = true;
        }
    }

    private static String describe(Peer peer) {
        return peer == null ? "nobody" : peer.toString();
    }

    /** The mesh rule: connect to the peers our peers know, unless we know them already or they are us. */
    private void meshWith(List<PeerInfo> candidates) {
        if (candidates.isEmpty()) {
            return;
        }
        MeshView view = new MeshView(nodeId, selfAddresses, peers.addresses(), peers.nodeIds(),
                handshakes.addresses());
        for (PeerInfo candidate : candidates) {
            MeshDecision decision = PeerMeshRule.decide(candidate.nodeId().orElse(null), candidate.addresses(), view);
            if (decision.connect()) {
                decision.addresses().forEach(this::connect);
            }
        }
    }

    // ---- timers ------------------------------------------------------------------------------------------

    /** One round of the timers; runs every tick on the control thread. */
    void tick() {
        if (stopped) {
            return;
        }
        Instant now = config.clock().instant();
        forwarding.tick(now);
        refreshLiveness(now);
        handshakes.resendDue(now, send::init);
        expirePeers(now);
        redials.startDue(this);
        reconnectHalfOpen(now);
        if (routesChanged || nodeInfoSchedule.due(now, minAdvertisedTimeout())) {
            routesChanged = false;
            broadcastNodeInfo();
            nodeInfoSchedule.sent(now);
        }
        rotateKeys(now);
        for (ConfiguredPeer configured : configuredPeers) {
            configured.tick(now, this, resolver);
        }
    }

    /** Peers the receive thread heard from since the last tick count as heard from now. */
    private void refreshLiveness(Instant now) {
        for (Peer peer : peers.peers()) {
            collectHeard(peer, now);
        }
    }

    /**
     * Collects what the receive thread marked for {@code peer}: if it heard from the peer, the peer counts as heard
     * from {@code now}. The one place the mark is read, for the timeout, the half-open check and the crash test.
     *
     * @return the peer's {@link Peer#heardRounds()} after the collection
     */
    private long collectHeard(Peer peer, Instant now) {
        if (peer.collectHeard()) {
            peers.heardFrom(peer, now);
        }
        return peer.heardRounds();
    }

    private void expirePeers(Instant now) {
        for (Peer peer : peers.expired(now)) {
            removePeer(peer, DisconnectReason.TIMEOUT);
            // The reference tries to reconnect to a timed-out peer at once; here such redials have slots of their
            // own and wait their turn, so that many crashed peers cannot crowd out new ones.
            redials.add(peer.address);
        }
    }

    /**
     * Starts a redial of a peer that timed out, unless it is connected, in a handshake or ourselves.
     *
     * @return false when no redial slot is free (the redial waits)
     */
    boolean redial(PeerAddress address) {
        if (stopped || isConnected(address) || handshakes.contains(address) || selfAddresses.contains(address)) {
            return true;
        }
        HandshakeState state = HandshakeState.initiator(handshakeContext);
        if (!handshakes.startRedial(address, state, config.clock().instant())) {
            return false;
        }
        LOG.debug("reconnecting to {}", address);
        send.init(state.start(), address);
        return true;
    }

    /** Peers that never answered the handshake this node finished with them are connected again. */
    private void reconnectHalfOpen(Instant now) {
        for (Peer peer : halfOpen.silentAt(now)) {
            if (peers.entry(peer) == null) {
                continue;
            }
            LOG.info("{} sent nothing after the handshake (it lost its side of it): connecting again", peer);
            removePeer(peer, DisconnectReason.TIMEOUT);
            handshakes.drop(peer.address); // the finished initiator kept to answer a repeated PONG
            connect(peer.address);
        }
    }

    // ---- crash detection through ICMP errors ----------------------------------------------------------------

    /**
     * The socket reported an error for a datagram sent earlier. For a connected peer's address it is a hint that the
     * peer's process died: the peer is tested ({@link CrashSuspicion}), or, while a test runs, the error counts
     * towards its verdict. Errors that say nothing about the peer's life (such as "fragmentation needed") and errors
     * for other addresses are ignored.
     */
    void onSendError(SendError error) {
        if (stopped || error.kind() == SendError.Kind.OTHER) {
            return;
        }
        Peer peer = peers.byAddress(error.destination());
        if (peer == null) {
            return;
        }
        if (peer.suspicion != null) {
            peer.suspicion.errorReported();
            return;
        }
        LOG.debug("the network reports {} for {}: probing it", error.kind(), peer);
        Instant now = config.clock().instant();
        // Only what comes from now on answers the probes.
        peer.suspicion = new CrashSuspicion(now, answersProbes(peer), collectHeard(peer, now));
        suspected.add(peer);
        checkSuspicion(peer, now);
    }

    private static boolean answersProbes(Peer peer) {
        return ProbeSupport.advertisedIn(peer.info());
    }

    /** When the next step of a crash test is due, or null while no peer is suspected. */
    Instant nextSuspicionStep() {
        Instant next = null;
        for (Peer peer : suspected) {
            Instant step = peer.suspicion.nextStep();
            if (next == null || step.isBefore(next)) {
                next = step;
            }
        }
        return next;
    }

    /** Runs the due steps of the crash tests: probes and verdicts. */
    void checkSuspicions() {
        if (stopped || suspected.isEmpty()) {
            return;
        }
        Instant now = config.clock().instant();
        for (Peer peer : List.copyOf(suspected)) {
            checkSuspicion(peer, now);
        }
    }

    private void checkSuspicion(Peer peer, Instant now) {
        CrashSuspicion suspicion = peer.suspicion;
        if (peers.entry(peer) == null) {
            endSuspicion(peer); // gone meanwhile (CLOSE, timeout, replaced)
            return;
        }
        switch (suspicion.step(now, collectHeard(peer, now) != suspicion.heardMark())) {
            case PROBE -> {
                if (suspicion.answersProbes()) {
                    send.probe(peer);
                } else {
                    send.keepalive(peer); // accepted silently by the reference: it can only draw another error
                }
            }
            case WAIT -> { }
            case ALIVE -> {
                LOG.debug("{} answered after an ICMP error report: alive", peer);
                endSuspicion(peer);
            }
            case UNDECIDED -> {
                LOG.debug("{}: {} ICMP error reports and no datagram after {} probes; keeping it", peer,
                        suspicion.errors(), suspicion.probesSent());
                endSuspicion(peer);
            }
            case DEAD -> {
                endSuspicion(peer);
                LOG.info("{} is unreachable: {} more ICMP error reports and no answer to {} probes", peer,
                        suspicion.errors(), suspicion.probesSent());
                removePeer(peer, DisconnectReason.UNREACHABLE);
                redials.add(peer.address); // as after a timeout: when it comes back, it is connected again
            }
        }
    }

    private void endSuspicion(Peer peer) {
        peer.suspicion = null;
        suspected.remove(peer);
    }

    /** The health monitor's verdict changed: withdraw the claims while unhealthy, claim again when healthy. */
    void healthChanged(boolean healthy) {
        if (stopped || healthy != claimsWithdrawn) {
            return;
        }
        claimsWithdrawn = !healthy;
        LOG.info(healthy ? "health check passes: claiming {} again" : "health check fails: withdrawing {}", ownClaims);
        broadcastNodeInfo();
        events.fire(healthy ? new VpnEvent.ClaimsRestored(ownClaims) : new VpnEvent.ClaimsWithdrawn(ownClaims));
        roles.update(peerList(), claimsWithdrawn);
    }

    private void rotateKeys(Instant now) {
        for (Peer peer : peers.peers()) {
            if (peer.rotation != null && peer.rotationDue(now, config.rotationInterval())) {
                peer.rotationTick().ifPresent(message -> send.rotation(peer, message));
            }
        }
    }

    /** The smallest peer timeout the peers advertised (null without peers); our broadcasts must beat it. */
    private Duration minAdvertisedTimeout() {
        Duration min = null;
        for (Peer peer : peers.peers()) {
            Duration timeout = advertisedTimeout(peer.info());
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

    /** A copy of the peers, for loops that may change the table. */
    private List<Peer> peerList() {
        return new ArrayList<>(peers.peers());
    }

    // ---- our NodeInfo ---------------------------------------------------------------------------------------

    /** The NodeInfo this node advertises now. */
    NodeInfo ownNodeInfo() {
        List<Peer> connected = peerList();
        if (connected.size() > MAX_ADVERTISED_PEERS) {
            Collections.shuffle(connected, random); // the reference, too, sends a random 20
            connected = connected.subList(0, MAX_ADVERTISED_PEERS);
        }
        List<PeerInfo> peerInfos = new ArrayList<>(connected.size());
        for (Peer peer : connected) {
            peerInfos.add(new PeerInfo(Optional.of(peer.nodeId), List.of(peer.address)));
        }
        long timeoutMillis = config.peerTimeout().toMillis();
        // Reference peers read whole seconds: round up, so that they never drop us early.
        int timeoutSeconds = (int) Math.min(65535, Math.max(1, (timeoutMillis + 999) / 1000));
        return new NodeInfo(nodeId, peerInfos, claimsWithdrawn ? List.of() : ownClaims,
                OptionalInt.of(timeoutSeconds), config.advertiseAddresses(), OptionalLong.of(timeoutMillis),
                List.of(roles.routesInUse(router).toPart(), ProbeSupport.PART));
    }

    private void broadcastNodeInfo() {
        NodeInfo info = ownNodeInfo();
        boolean full = announcements.needsFull(info, peers.nodeIds());
        for (Peer peer : peerList()) {
            if (full || !AnnouncementTracker.acceptsKeepalive(peer)) {
                send.nodeInfo(peer, info);
            } else {
                send.keepalive(peer);
            }
        }
    }

    // ---- life cycle and status ------------------------------------------------------------------------------

    /** Stops all control activity; when graceful, tells every peer first (CLOSE) so that it fails over at once. */
    void shutdown(boolean graceful) {
        if (stopped) {
            return;
        }
        stopped = true;
        for (Peer peer : peerList()) {
            if (graceful) {
                send.close(peer);
            }
            peers.remove(peer);
            router.removePeer(peer);
            peer.gone();
            events.fire(new VpnEvent.PeerDisconnected(peer.address, peer.nodeId, DisconnectReason.SHUTDOWN));
        }
        handshakes.clear();
        forwarding.publish(List.of());
    }

    NodeStatus status(InetSocketAddress listen, TrafficCounters traffic) {
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
                active = config.spreadFlows();
            }
        }
        return new NodeStatus(nodeId, listen, peerList, claims, roles.status(peerList(), claimsWithdrawn),
                traffic.snapshot(), forwarding.learnedAddresses());
    }
}
