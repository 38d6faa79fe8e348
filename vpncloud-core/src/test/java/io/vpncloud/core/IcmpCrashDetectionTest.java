package io.vpncloud.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.VpnEvent;
import io.vpncloud.api.VpnEvent.DisconnectReason;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Crash detection through the socket's ICMP error reports, with reports the test controls (the JDK socket sees no
 * ICMP; the real thing on the Linux socket is tested in vpncloud-examples). The timers are long (60 s), so only the
 * reports can explain a peer's removal, and the keepalive (50 s) sends nothing while a test runs: every datagram to
 * a suspected peer is a probe.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IcmpCrashDetectionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration KEEPALIVE = Duration.ofSeconds(50);
    /** Probes the forger must have caused before it stops. */
    private static final int FORGED_PROBES = 10;
    /** The forger sends a burst of errors this often, whatever the node does. */
    private static final Duration FORGER_PACE = Duration.ofMillis(20);

    /**
     * A forger keeps sending bursts of errors for a live vpncloud-java peer, each enough to condemn a peer that stays
     * silent; the peer answers every probe and stays. A crashed peer, whose host reports every datagram sent to it,
     * goes.
     * Its test starts after the last forged one and takes as long, so when it ends the forged ones have ended too.
     */
    @Test
    void forgedErrorsCostProbesButNeverRemoveAPeerThatAnswers() throws Exception {
        IcmpReportingSocketProvider icmp = new IcmpReportingSocketProvider();
        try (TestNode a = TestNode.start("a", "10.21.0.1/24", o -> timers(o).socketProvider(icmp));
             TestNode b = TestNode.start("b", "10.21.0.2/24", o -> timers(o).peer(a.address()));
             TestNode c = TestNode.start("c", "10.21.0.3/24", o -> timers(o).peer(a.address()))) {
            a.awaitPeers(2, WAIT);
            PeerAddress bAddress = addressOf(a, b.id());
            PeerAddress cAddress = addressOf(a, c.id());
            int mark = a.mark();

            long before = icmp.sentTo(bAddress);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (icmp.sentTo(bAddress) < before + FORGED_PROBES) {
                assertTrue(System.nanoTime() < deadline, "a probed b " + (icmp.sentTo(bAddress) - before) + " times");
                icmp.forge(bAddress, 3);
                Thread.sleep(FORGER_PACE.toMillis());
            }
            c.crash();
            icmp.reportEverySendTo(cAddress);
            icmp.forge(cAddress, 1); // what the kernel reports for the datagram that first found c gone

            a.awaitEvent(mark, WAIT, e -> e instanceof VpnEvent.PeerDisconnected d && d.nodeId().equals(c.id())
                    && d.reason() == DisconnectReason.UNREACHABLE);
            assertTrue(a.events().subList(mark, a.events().size()).stream()
                            .noneMatch(e -> e instanceof VpnEvent.PeerDisconnected d && d.nodeId().equals(b.id())),
                    "b answered every probe and must stay: " + a.events());
            assertTrue(a.node.status().peers().stream().anyMatch(p -> p.nodeId().equals(b.id())), "b is a peer");
        }
    }

    /**
     * Peers in the reference's manner (no probe-answer extension in their NodeInfo) answer no probe. A forged error
     * alone, with no further one for the probes, leaves such a peer connected; a peer whose host reports every probe
     * goes.
     */
    @Test
    void aPeerThatAnswersNoProbeGoesOnlyWhenEveryProbeDrawsAnError() throws Exception {
        IcmpReportingSocketProvider icmp = new IcmpReportingSocketProvider();
        try (TestNode a = TestNode.start("a", "10.22.0.1/24", o -> timers(o).socketProvider(icmp));
             SilentPeers references = new SilentPeers(2, 22, "test-password")) {
            references.connectAll(a, 2, WAIT);
            a.awaitPeers(2, WAIT);
            PeerAddress alive = references.address(0);
            PeerAddress crashed = references.address(1);
            int mark = a.mark();

            long before = icmp.sentTo(alive);
            icmp.forge(alive, 1);
            a.awaitCondition(WAIT, "probing the live peer",
                    () -> icmp.sentTo(alive) >= before + CrashSuspicion.PROBES);
            references.crash(1);
            icmp.reportEverySendTo(crashed);
            icmp.forge(crashed, 1);

            a.awaitEvent(mark, WAIT, e -> e instanceof VpnEvent.PeerDisconnected d && d.address().equals(crashed)
                    && d.reason() == DisconnectReason.UNREACHABLE);
            assertTrue(a.events().subList(mark, a.events().size()).stream()
                            .noneMatch(e -> e instanceof VpnEvent.PeerDisconnected d && d.address().equals(alive)),
                    "one forged error must not remove a peer: " + a.events());
            assertTrue(a.node.status().peers().stream().anyMatch(p -> p.address().equals(alive)), "still a peer");
        }
    }

    private static VpnNode.Builder timers(VpnNode.Builder builder) {
        return builder.peerTimeout(PEER_TIMEOUT).keepalive(KEEPALIVE);
    }

    private static PeerAddress addressOf(TestNode node, NodeId peer) {
        return node.node.status().peers().stream().filter(p -> p.nodeId().equals(peer)).findFirst()
                .orElseThrow().address();
    }
}
