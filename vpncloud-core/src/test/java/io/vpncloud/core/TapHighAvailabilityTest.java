package io.vpncloud.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.VpnEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * High availability with TAP devices: two servers claim one MAC address range; the client's frames to it reach the
 * claimant it has known longest, even after the other server sent a frame from an address in that range (claims
 * come before learned addresses), and go to the other server when the first one crashes or stops.
 */
class TapHighAvailabilityTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration KEEPALIVE = Duration.ofMillis(100);
    private static final Duration PEER_TIMEOUT = Duration.ofMillis(500);
    private static final IpRange SHARED_RANGE = IpRange.parse("02:00:00:00:00:01/48");
    private static final String SHARED = "02:00:00:00:00:01";
    private static final String CLIENT = "02:00:00:00:00:64";
    private static final String BROADCAST = "ff:ff:ff:ff:ff:ff";

    private static UnaryOperator<VpnNode.Builder> server(UnaryOperator<VpnNode.Builder> more) {
        return b -> more.apply(b.keepalive(KEEPALIVE).peerTimeout(PEER_TIMEOUT).claim(SHARED_RANGE));
    }

    @Test
    void clientFramesReachTheFirstClaimantAndFailOverWhenItCrashes() throws Exception {
        TestNode serverA = TestNode.startTap("server-a", server(b -> b));
        TestNode serverB = TestNode.startTap("server-b", server(b -> b.peer(serverA.address())));
        try (TestNode client = TestNode.startTap("client", b -> b.keepalive(KEEPALIVE).peerTimeout(PEER_TIMEOUT)
                .peer(serverA.address()).peer(serverB.address()))) {
            client.awaitPeers(2, WAIT);
            client.awaitCondition(WAIT, "both claims", () -> claimants(client).size() == 2);
            TestNode active = byId(claimants(client).get(0), serverA, serverB);
            TestNode standby = active == serverA ? serverB : serverA;
            standby.awaitPeers(2, WAIT); // it floods only to the peers it has
            active.awaitPeers(2, WAIT);

            // The standby sends from the shared address: the client learns it there, but the claim still wins.
            standby.sendFrame(CLIENT, SHARED, "from the standby's copy of the shared address");
            client.expectFrame("from the standby's copy of the shared address", WAIT);
            active.expectFrame("from the standby's copy of the shared address", WAIT); // flooded: unknown to the standby
            assertFramesReachOnly(client, active, standby, 5);

            int mark = client.mark();
            active.crash();
            client.awaitEvent(mark, WAIT, e -> e instanceof VpnEvent.RouteOwnerChanged r
                    && r.range().equals(SHARED_RANGE) && r.newOwner().equals(Optional.of(standby.id())));
            assertFramesReachOnly(client, standby, null, 5);
        } finally {
            serverA.close();
            serverB.close();
        }
    }

    @Test
    void aGracefulStopHandsTheRangeOverAtOnce() throws Exception {
        UnaryOperator<VpnNode.Builder> slow = b -> b.peerTimeout(Duration.ofSeconds(60)).claim(SHARED_RANGE);
        TestNode serverA = TestNode.startTap("server-a", slow);
        TestNode serverB = TestNode.startTap("server-b", b -> slow.apply(b).peer(serverA.address()));
        try (TestNode client = TestNode.startTap("client", b -> b.peerTimeout(Duration.ofSeconds(60))
                .peer(serverA.address()).peer(serverB.address()))) {
            client.awaitPeers(2, WAIT);
            client.awaitCondition(WAIT, "both claims", () -> claimants(client).size() == 2);
            TestNode active = byId(claimants(client).get(0), serverA, serverB);
            TestNode standby = active == serverA ? serverB : serverA;
            active.awaitPeers(2, WAIT);
            assertFramesReachOnly(client, active, standby, 3);

            int mark = client.mark();
            active.close();
            client.awaitEvent(mark, WAIT, e -> e instanceof VpnEvent.RouteOwnerChanged r
                    && r.newOwner().equals(Optional.of(standby.id())));
            assertFramesReachOnly(client, standby, null, 3);
        } finally {
            serverA.close();
            serverB.close();
        }
    }

    /** Frames to the shared address reach {@code to}; a broadcast fence behind them is the first {@code notTo} gets. */
    private static void assertFramesReachOnly(TestNode client, TestNode to, TestNode notTo, int count)
            throws Exception {
        for (int i = 0; i < count; i++) {
            client.sendFrame(SHARED, CLIENT, "probe " + i);
        }
        client.sendFrame(BROADCAST, CLIENT, "fence");
        for (int i = 0; i < count; i++) {
            to.expectFrame("probe " + i, WAIT);
        }
        to.expectFrame("fence", WAIT);
        if (notTo != null) {
            notTo.expectFrame("fence", WAIT);
        }
    }

    private static List<NodeId> claimants(TestNode client) {
        return client.node.status().claims().stream()
                .filter(c -> c.range().equals(SHARED_RANGE))
                .map(NodeStatus.Claim::nodeId).toList();
    }

    private static TestNode byId(NodeId id, TestNode... nodes) {
        for (TestNode node : nodes) {
            if (node.id().equals(id)) {
                return node;
            }
        }
        throw new AssertionError("no node with id " + id);
    }
}
