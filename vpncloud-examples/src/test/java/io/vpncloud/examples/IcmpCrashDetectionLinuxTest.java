package io.vpncloud.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.VpnEvent;
import io.vpncloud.api.VpnEvent.DisconnectReason;
import io.vpncloud.core.TestNode;
import io.vpncloud.core.VpnNode;
import io.vpncloud.tun.linux.LinuxUdpSocketProvider;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Crash detection through the kernel's ICMP errors, with the Linux UDP socket on loopback (no root needed): a peer
 * whose process dies (its socket closes without CLOSE) while its host stays up makes the host answer the next
 * datagram with "port unreachable". The peer timeout is 30 s and the keepalive 10 s, so nothing but the ICMP path
 * can remove the peer while the test waits.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IcmpCrashDetectionLinuxTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final LinuxUdpSocketProvider LINUX = new LinuxUdpSocketProvider();

    /** Data to the crashed peer draws the errors by itself; the route fails over (here: to nobody) at once. */
    @Test
    void aPeerWhoseSocketClosedIsDeclaredUnreachableByTheDataSentToIt() throws Exception {
        assumeTrue(LINUX.isAvailable(), LINUX.unavailableReason());
        try (TestNode a = TestNode.start("a", "10.23.0.1/24", o -> linux(o));
             TestNode b = TestNode.start("b", "10.23.0.2/24", o -> linux(o).peer(a.address()))) {
            a.awaitCondition(WAIT, "routing to b", () -> a.routeOwner("10.23.0.2").equals(Optional.of(b.id())));
            int mark = a.mark();

            b.crash();
            a.send("10.23.0.1", "10.23.0.2", "anyone there?");

            VpnEvent gone = a.awaitEvent(mark, WAIT, e -> e instanceof VpnEvent.PeerDisconnected d
                    && d.nodeId().equals(b.id()));
            assertEquals(DisconnectReason.UNREACHABLE, ((VpnEvent.PeerDisconnected) gone).reason());
            a.awaitEvent(mark, WAIT, e -> e instanceof VpnEvent.RouteOwnerChanged change
                    && change.range().equals(IpRange.parse("10.23.0.2/32")) && change.newOwner().isEmpty());
        }
    }

    /**
     * A steady stream to the crashed peer: hundreds of errors come back while the send thread keeps the socket busy
     * (the kernel hands each to whichever call on the socket comes next, often a send); the node notices all the
     * same. (That a report taken by a send still reaches a waiting receiver is tested in SendErrorReportTest.)
     */
    @Test
    void aStreamToACrashedPeerIsNoticedByTheReceiveThread() throws Exception {
        assumeTrue(LINUX.isAvailable(), LINUX.unavailableReason());
        try (TestNode a = TestNode.start("a", "10.24.0.1/24", o -> linux(o));
             TestNode b = TestNode.start("b", "10.24.0.2/24", o -> linux(o).peer(a.address()))) {
            a.awaitCondition(WAIT, "routing to b", () -> a.routeOwner("10.24.0.2").equals(Optional.of(b.id())));
            int mark = a.mark();

            b.crash();
            AtomicBoolean streaming = new AtomicBoolean(true);
            Thread stream = new Thread(() -> {
                try {
                    while (streaming.get()) {
                        a.send("10.24.0.1", "10.24.0.2", "stream");
                    }
                } catch (IOException | InterruptedException e) {
                    streaming.set(false);
                }
            }, "stream to b");
            stream.start();
            try {
                VpnEvent gone = a.awaitEvent(mark, WAIT, e -> e instanceof VpnEvent.PeerDisconnected d
                        && d.nodeId().equals(b.id()));
                assertEquals(DisconnectReason.UNREACHABLE, ((VpnEvent.PeerDisconnected) gone).reason());
            } finally {
                streaming.set(false);
                stream.join();
            }
        }
    }

    private static VpnNode.Builder linux(VpnNode.Builder builder) {
        return builder.socketProvider(LINUX).peerTimeout(Duration.ofSeconds(30)).keepalive(Duration.ofSeconds(10));
    }
}
