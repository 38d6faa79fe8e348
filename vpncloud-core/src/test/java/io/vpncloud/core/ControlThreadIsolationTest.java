package io.vpncloud.core;

import io.vpncloud.api.HostResolver;
import io.vpncloud.api.VpnEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * User code that blocks - a listener, a health check, a host name resolver - stalls neither the data path nor the
 * timers of the node that calls it. While the user code waits on a latch, two nodes with high-availability timers
 * (keepalive 100 ms, peer timeout 500 ms) exchange 1,000 packets each way, all delivered, and keep their session
 * for many keepalive rounds, far longer than the peer timeout; then the latch is released.
 *
 * <p>A node that ran the user code under a lock its data and timer threads need would stop delivering at once and
 * drop its peer after the timeout; the {@link Timeout} in the separate thread turns such a stall into a failure
 * even when the test thread itself is stuck on that lock.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ControlThreadIsolationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration KEEPALIVE = Duration.ofMillis(100);
    private static final Duration PEER_TIMEOUT = Duration.ofMillis(500);
    private static final int PACKETS = 1000;
    private static final int WINDOW = 100;
    private static final String BLOCKED_HOST = "unanswered.peer.test";

    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean armed;
    private volatile boolean userCodeReturned;

    /** Also when the test failed or timed out: a blocked thread must not outlive it. */
    @AfterEach
    void releaseTheUserCode() {
        release.countDown();
    }

    @Test
    void aBlockedListenerStallsNothing() throws Exception {
        try (TestNode a = TestNode.start("a", "10.9.0.1/24", o -> haTimers(o).listener(event -> blockOnceArmed()));
             TestNode b = TestNode.start("b", "10.9.0.2/24", o -> haTimers(o).peer(a.address()))) {
            awaitSession(a, b, "10.9.0.1", "10.9.0.2");
            armed = true;
            // A third node joins: its PeerConnected reaches the listener of a, which then blocks.
            try (TestNode c = TestNode.start("c", "10.9.0.3/24", o -> haTimers(o).peer(a.address()))) {
                try {
                    carryTrafficWhileBlocked(a, b);
                } finally {
                    release.countDown();
                }
                // The events held back while the listener blocked come now, in order; b was never dropped.
                a.awaitEvent(0, WAIT, e -> e instanceof VpnEvent.PeerConnected p && p.nodeId().equals(c.id()));
                assertNoDisconnectOf(a, b);
            }
        }
    }

    @Test
    void aBlockedHealthCheckStallsNothing() throws Exception {
        // The check's timeout is far beyond the test, so the blocked run counts neither as passed nor as failed
        // and the claims stay: what is tested is only that nothing else waits for it.
        try (TestNode a = TestNode.start("a", "10.9.0.1/24", o -> haTimers(o).healthCheck(() -> {
                    blockOnceArmed();
                    return true;
                }, KEEPALIVE, Duration.ofHours(1), 1, 1));
             TestNode b = TestNode.start("b", "10.9.0.2/24", o -> haTimers(o).peer(a.address()))) {
            awaitSession(a, b, "10.9.0.1", "10.9.0.2");
            armed = true;
            try {
                carryTrafficWhileBlocked(a, b);
            } finally {
                release.countDown();
            }
        }
    }

    @Test
    void aBlockedHostNameResolutionStallsNothing() throws Exception {
        // a is configured with two peers: b by address, and a third by a host name whose lookup never answers
        // (until the test releases it, and then it fails).
        HostResolver resolver = host -> {
            if (host.equals(BLOCKED_HOST)) {
                blockOnceArmed();
                throw new UnknownHostException(host + ": the name server does not answer");
            }
            return HostResolver.system().resolve(host);
        };
        armed = true;
        try (TestNode b = TestNode.start("b", "10.9.0.2/24", o -> haTimers(o));
             TestNode a = TestNode.start("a", "10.9.0.1/24", o -> haTimers(o).resolver(resolver)
                     .peer(b.address()).peer(BLOCKED_HOST + ":3210"))) {
            try {
                assertTrue(entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the resolver was asked");
                awaitSession(a, b, "10.9.0.1", "10.9.0.2");
                carryTrafficWhileBlocked(a, b);
            } finally {
                release.countDown();
            }
        }
    }

    /**
     * 1,000 packets each way in windows of 100; after each window both nodes send at least one more round of
     * keepalives, so the exchange spans ten rounds (a second, twice the peer timeout) while the user code blocks.
     */
    private void carryTrafficWhileBlocked(TestNode a, TestNode b) throws IOException, InterruptedException {
        assertTrue(entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the user code was called");
        UnbrokenSession session = UnbrokenSession.watch(a, b);
        TwoWayTraffic traffic = new TwoWayTraffic(a, "10.9.0.1", b, "10.9.0.2", WAIT);
        for (int sent = 0; sent < PACKETS; sent += WINDOW) {
            traffic.window(WINDOW);
            a.awaitControlRounds(1, WAIT);
            b.awaitControlRounds(1, WAIT);
        }
        assertEquals(PACKETS, traffic.deliveredToA());
        assertEquals(PACKETS, traffic.deliveredToB());
        assertFalse(userCodeReturned, "the user code was blocked all the time");
        session.assertUnbroken();
    }

    /** Blocks the first call after {@link #armed} until the test releases it; other calls return at once. */
    private void blockOnceArmed() {
        if (!armed || entered.getCount() == 0) {
            return;
        }
        entered.countDown();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        userCodeReturned = true;
    }

    private static VpnNode.Builder haTimers(VpnNode.Builder builder) {
        return builder.keepalive(KEEPALIVE).peerTimeout(PEER_TIMEOUT);
    }

    /** Waits until a and b are connected and each routes the other's address to it. */
    private static void awaitSession(TestNode a, TestNode b, String aAddress, String bAddress)
            throws InterruptedException {
        a.awaitCondition(WAIT, "routing " + bAddress + " to b", () -> a.routeOwner(bAddress).equals(Optional.of(b.id())));
        b.awaitCondition(WAIT, "routing " + aAddress + " to a", () -> b.routeOwner(aAddress).equals(Optional.of(a.id())));
    }

    private static void assertNoDisconnectOf(TestNode node, TestNode peer) {
        for (VpnEvent event : node.events()) {
            assertFalse(event instanceof VpnEvent.PeerDisconnected d && d.nodeId().equals(peer.id()),
                    node + " dropped " + peer + ": " + event);
        }
    }
}
