package io.vpncloud.core;

import io.vpncloud.api.NodeId;
import io.vpncloud.core.crypto.Algorithm;
import io.vpncloud.core.crypto.HandshakeContext;
import io.vpncloud.core.crypto.HandshakeState;
import io.vpncloud.core.crypto.Identity;
import io.vpncloud.core.crypto.TrustedKeys;
import io.vpncloud.core.wire.AlgorithmSpeed;
import io.vpncloud.core.wire.NodeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A flood of init messages from many source addresses hits a node while it carries traffic: 10,000 validly signed
 * PINGs (with the node's own password, so that answering each would cost a full handshake's cryptography) and
 * 1,000 garbage messages that look like init messages. The session's traffic is all delivered, the peers keep
 * their session (keepalive 100 ms, peer timeout 500 ms), and a new node that connects during the flood gets in.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InitFloodTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration KEEPALIVE = Duration.ofMillis(100);
    private static final Duration PEER_TIMEOUT = Duration.ofMillis(500);
    private static final String PASSWORD = "test-password";
    private static final int SIGNED = 10_000;
    private static final int GARBAGE = 1_000;
    private static final int SOURCES = 500;
    private static final int WINDOW = 20;
    /** Init messages sent at once: far fewer than the node's socket buffers hold. */
    private static final int BURST = SOURCES;

    @Test
    void trafficAndPeersSurviveAFloodOfInitMessages() throws Exception {
        List<byte[]> flood = floodMessages();
        List<DatagramChannel> sources = new ArrayList<>();
        try (TestNode a = TestNode.start("a", "10.11.0.1/24", o -> haTimers(o));
             TestNode b = TestNode.start("b", "10.11.0.2/24", o -> haTimers(o).peer(a.address()))) {
            for (int i = 0; i < SOURCES; i++) {
                sources.add(DatagramChannel.open().bind(new InetSocketAddress("127.11." + (i / 250) + "." + (i % 250 + 1), 0)));
            }
            a.awaitCondition(WAIT, "routing to b", () -> a.routeOwner("10.11.0.2").equals(Optional.of(b.id())));
            b.awaitCondition(WAIT, "routing to a", () -> b.routeOwner("10.11.0.1").equals(Optional.of(a.id())));
            UnbrokenSession session = UnbrokenSession.watch(a, b);
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", a.node.listenAddress().getPort());
            TwoWayTraffic traffic = new TwoWayTraffic(a, "10.11.0.1", b, "10.11.0.2", WAIT);

            // The flood goes in bursts, one message from each source, each followed by a window of traffic and a
            // round of a's keepalives: so it lasts for many peer timeouts (and beyond the second after which a
            // waiting handshake may give its slot to a new one), and a burst fits the socket's receive buffer,
            // so no loss comes from the kernel, whatever the scheduling.
            TestNode c = null;
            try {
                for (int sent = 0; sent < flood.size(); sent += BURST) {
                    send(flood.subList(sent, Math.min(flood.size(), sent + BURST)), sent, sources, target);
                    traffic.window(WINDOW);
                    a.awaitControlRounds(1, WAIT);
                    if (c == null && sent >= flood.size() / 2) {
                        c = TestNode.start("c", "10.11.0.3/24", o -> haTimers(o).peer(a.address()));
                    }
                }
                // Traffic goes on for more than a peer timeout by the nodes' own timers, while the node works off
                // the flood: a node kept busy by it would drop its peer meanwhile.
                for (int round = 0; round < 6; round++) {
                    traffic.window(WINDOW);
                    a.awaitControlRounds(1, WAIT);
                    b.awaitControlRounds(1, WAIT);
                }
                TestNode joined = c;
                joined.awaitCondition(WAIT, "connected to a", () -> joined.node.status().peers().stream()
                        .anyMatch(p -> p.nodeId().equals(a.id())));
                a.awaitCondition(WAIT, "connected to c", () -> a.node.status().peers().stream()
                        .anyMatch(p -> p.nodeId().equals(joined.id())));
            } finally {
                if (c != null) {
                    c.close();
                }
            }
            int windows = (flood.size() + BURST - 1) / BURST + 6;
            assertEquals(windows * WINDOW, traffic.deliveredToA());
            assertEquals(windows * WINDOW, traffic.deliveredToB());
            assertTrue(a.node.status().traffic().invalid() > 0, "the flood reached a");
            session.assertUnbroken();
        } finally {
            for (DatagramChannel source : sources) {
                source.close();
            }
        }
    }

    /** The flood in the order it is sent: signed PINGs with garbage spread among them. */
    private static List<byte[]> floodMessages() {
        Identity identity = Identity.fromPassword(PASSWORD);
        SecureRandom random = new SecureRandom();
        List<byte[]> pings = IntStream.range(0, SIGNED).parallel()
                .mapToObj(i -> HandshakeState.initiator(context(identity, random)).start())
                .toList();
        Random garbageRandom = new Random(7);
        List<byte[]> flood = new ArrayList<>(SIGNED + GARBAGE);
        int interval = SIGNED / GARBAGE;
        for (int i = 0; i < SIGNED; i++) {
            flood.add(pings.get(i));
            if (i % interval == 0) {
                byte[] garbage = new byte[1 + garbageRandom.nextInt(300)];
                garbageRandom.nextBytes(garbage);
                garbage[0] = (byte) 0xFF; // the init marker
                flood.add(garbage);
            }
        }
        return flood;
    }

    private static HandshakeContext context(Identity identity, SecureRandom random) {
        NodeId id = NodeId.random();
        NodeInfo info = NodeInfo.of(id, List.of(), List.of(), OptionalInt.of(300), List.of());
        return new HandshakeContext(identity, TrustedKeys.onlyOwn(identity), id,
                List.of(new AlgorithmSpeed(Algorithm.AES128.id(), 1000f)), random, () -> info);
    }

    /** Sends a burst, round-robin over the sources ({@code first} is the burst's place in the flood). */
    private static void send(List<byte[]> burst, int first, List<DatagramChannel> sources, InetSocketAddress target)
            throws IOException {
        for (int i = 0; i < burst.size(); i++) {
            sources.get((first + i) % sources.size()).send(ByteBuffer.wrap(burst.get(i)), target);
        }
    }

    private static VpnNode.Builder haTimers(VpnNode.Builder builder) {
        return builder.keepalive(KEEPALIVE).peerTimeout(PEER_TIMEOUT);
    }
}
