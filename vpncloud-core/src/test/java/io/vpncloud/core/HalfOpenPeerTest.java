package io.vpncloud.core;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.VpnEvent;
import io.vpncloud.core.crypto.Algorithm;
import io.vpncloud.core.crypto.HandshakeContext;
import io.vpncloud.core.crypto.HandshakeState;
import io.vpncloud.core.crypto.Identity;
import io.vpncloud.core.crypto.TrustedKeys;
import io.vpncloud.core.wire.AlgorithmSpeed;
import io.vpncloud.core.wire.MessageType;
import io.vpncloud.core.wire.NodeInfo;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A responder that completes a handshake and then forgets it (as one does that dropped its waiting responder under
 * the handshake limit before the PENG came) leaves the initiator with a half-open session. The initiator notices the
 * silence after {@link HalfOpenPeers#PATIENCE} of its clock and connects again; a responder that answers is kept.
 * The responder here is a real handshake on a real UDP socket, driven by the test.
 */
class HalfOpenPeerTest {
    /**
     * The manual clock drives the timers (through tickNow); the real-time tick only has to stay out of the way,
     * and it must be shorter than the peer timeout (300 s by default).
     */
    private static final Duration MANUAL_TICK = Duration.ofSeconds(299);

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PASSWORD = "test-password";
    private static final Identity IDENTITY = Identity.fromPassword(PASSWORD);

    @Test
    void aPeerThatNeverAnswersTheHandshakeIsConnectedAgain() throws Exception {
        ManualClock clock = new ManualClock();
        try (DatagramChannel responder = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             TestNode a = TestNode.start("a", "10.5.0.1/24", o -> o.clock(clock).tick(MANUAL_TICK))) {
            completeHandshake(a, responder);
            a.awaitPeers(1, WAIT);

            clock.advance(HalfOpenPeers.PATIENCE.minusMillis(1));
            a.node.tickNow();
            assertEquals(1, a.node.status().peers().size(), "not yet: silent for less than the patience");

            int mark = a.mark();
            clock.advance(Duration.ofMillis(1));
            a.node.tickNow();
            VpnEvent event = a.awaitEvent(mark, WAIT, e -> e instanceof VpnEvent.PeerDisconnected);
            assertEquals(VpnEvent.DisconnectReason.TIMEOUT, ((VpnEvent.PeerDisconnected) event).reason());
            HandshakeState fresh = HandshakeState.responder(context());
            assertInstanceOf(HandshakeState.Send.class, fresh.handle(nextInit(responder)),
                    "a new PING, which a fresh responder answers");
        }
    }

    @Test
    void aPeerThatAnswersIsKept() throws Exception {
        ManualClock clock = new ManualClock();
        try (DatagramChannel responder = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             TestNode a = TestNode.start("a", "10.5.0.1/24", o -> o.clock(clock).tick(MANUAL_TICK))) {
            HandshakeState.Established session = completeHandshake(a, responder);
            a.awaitPeers(1, WAIT);
            byte[] packet = Ipv4Packets.udp("10.5.0.2", "10.5.0.1", "answer");
            ByteBuffer message = ByteBuffer.allocate(1 + packet.length).put((byte) MessageType.DATA).put(packet);
            ByteBuffer datagram = ByteBuffer.allocate(2048);
            session.cipher().encrypt(message.flip(), datagram);
            responder.send(datagram.flip(), nodeAddress(a));
            assertEquals("answer", Ipv4Packets.payloadText(a.receive(WAIT).orElseThrow()), "delivered by a");

            clock.advance(HalfOpenPeers.PATIENCE.plusSeconds(1));
            a.node.tickNow();
            assertEquals(1, a.node.status().peers().size(), "an answering peer stays");
        }
    }

    /** Lets node a connect to the responder socket and answers its PING; returns the responder's session. */
    private static HandshakeState.Established completeHandshake(TestNode a, DatagramChannel responder)
            throws IOException {
        a.node.connect(PeerAddress.of((InetSocketAddress) responder.getLocalAddress()));
        HandshakeState state = HandshakeState.responder(context());
        HandshakeState.Step pong = state.handle(nextInit(responder));
        responder.send(ByteBuffer.wrap(((HandshakeState.Send) pong).datagram()), nodeAddress(a));
        HandshakeState.Step done = state.handle(nextInit(responder));
        return assertInstanceOf(HandshakeState.Established.class, done, "the PENG completes the handshake");
    }

    /** The next init message node a sends to the responder; other datagrams (its NodeInfo) are skipped. */
    private static ByteBuffer nextInit(DatagramChannel responder) throws IOException {
        responder.configureBlocking(true);
        for (int i = 0; i < 100; i++) {
            ByteBuffer datagram = ByteBuffer.allocate(2048);
            assertNotNull(responder.receive(datagram));
            datagram.flip();
            if (datagram.hasRemaining() && (datagram.get(0) & 0xFF) == MessageType.INIT_MARKER) {
                return datagram;
            }
        }
        throw new AssertionError("no init message among 100 datagrams");
    }

    private static InetSocketAddress nodeAddress(TestNode node) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), node.node.listenAddress().getPort());
    }

    private static HandshakeContext context() {
        NodeId id = NodeId.random();
        NodeInfo info = NodeInfo.of(id, List.of(), List.of(IpRange.parse("10.5.0.2/32")), OptionalInt.of(300),
                List.of());
        return new HandshakeContext(IDENTITY, TrustedKeys.onlyOwn(IDENTITY), id,
                List.of(new AlgorithmSpeed(Algorithm.AES128.id(), 1000f)), new SecureRandom(), () -> info);
    }
}
