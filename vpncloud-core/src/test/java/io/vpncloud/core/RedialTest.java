package io.vpncloud.core;

import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.NodeId;
import io.vpncloud.core.crypto.HandshakeContext;
import io.vpncloud.core.crypto.HandshakeState;
import io.vpncloud.core.crypto.Identity;
import io.vpncloud.core.crypto.TrustedKeys;
import io.vpncloud.core.wire.AlgorithmSpeed;
import io.vpncloud.core.wire.NodeInfo;
import io.vpncloud.core.peer.HandshakeLimiter;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.vpncloud.core.InitQueueTest.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redials of timed-out peers: a budget of their own, resends with doubling gaps, then they give up. */
class RedialTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void redialsTakeNoSlotFromNewPeers() throws Exception {
        HandshakeLimiter limiter = new HandshakeLimiter(8, 4, 2, 3);
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.tryAcquireRedial(address("192.0.2." + i, 3210)));
        }
        assertFalse(limiter.tryAcquireRedial(address("192.0.2.9", 3210)), "the redial budget is spent");
        int ordinary = 0;
        while (limiter.tryAcquire(address("198.51.100." + ordinary, 3210))) {
            ordinary++;
        }
        assertEquals(8 - 2, ordinary, "all ordinary slots are still there");
        assertTrue(limiter.tryAcquireConfigured(address("203.0.113.1", 3210)), "so is the reserve");
        limiter.release(address("192.0.2.0", 3210));
        assertTrue(limiter.tryAcquireRedial(address("192.0.2.9", 3210)), "a finished redial frees its slot");
    }

    @Test
    void aRedialResendsWithDoublingGapsAndGivesUpAfterAboutAMinute() throws Exception {
        PendingHandshakes handshakes = new PendingHandshakes(new HandshakeLimiter());
        PeerAddress peer = address("192.0.2.1", 3210);
        assertTrue(handshakes.startRedial(peer, initiator(), T0));
        List<Long> sentAt = new ArrayList<>();
        for (int second = 0; second <= 120; second++) {
            Instant now = T0.plusSeconds(second);
            long at = second;
            handshakes.resendDue(now, (datagram, to) -> sentAt.add(at));
        }
        assertEquals(List.of(1L, 3L, 7L, 15L, 31L), sentAt, "five resends after the first PING");
        assertFalse(handshakes.contains(peer), "given up");
        assertTrue(handshakes.startRedial(peer, initiator(), T0.plusSeconds(121)),
                "and its slot is free again");
    }

    @Test
    void anOrdinaryHandshakeStillResendsEverySecond() throws Exception {
        PendingHandshakes handshakes = new PendingHandshakes(new HandshakeLimiter());
        PeerAddress peer = address("192.0.2.1", 3210);
        assertTrue(handshakes.startInitiator(peer, initiator(), false, T0));
        List<Long> sentAt = new ArrayList<>();
        for (int second = 0; second <= 5; second++) {
            long at = second;
            handshakes.resendDue(T0.plusSeconds(second), (datagram, to) -> sentAt.add(at));
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), sentAt);
    }

    @Test
    void aStaleInitiatorToALearnedPeerGivesWayToAnInitMessage() throws Exception {
        // One ordinary slot: held by an initiator that nobody answers.
        PendingHandshakes handshakes = new PendingHandshakes(new HandshakeLimiter(2, 4, 1));
        assertTrue(handshakes.startInitiator(address("192.0.2.1", 3210), initiator(), false, T0));
        PeerAddress newcomer = address("198.51.100.1", 3210);
        assertEquals(null, handshakes.startResponder(newcomer, HandshakeState.responder(CONTEXT), T0.plusSeconds(1)),
                "a fresh initiator is not evicted");
        assertNotNull(handshakes.startResponder(newcomer, HandshakeState.responder(CONTEXT),
                T0.plus(PendingHandshakes.STALE_INITIATOR).plusSeconds(1)), "a stale one is");
    }

    private static final Identity IDENTITY = Identity.fromPassword("redial-test");
    private static final HandshakeContext CONTEXT = new HandshakeContext(IDENTITY, TrustedKeys.onlyOwn(IDENTITY),
            NodeId.random(), List.of(new AlgorithmSpeed(1, 1000f)), new java.security.SecureRandom(),
            () -> NodeInfo.of(NodeId.random(), List.of(), List.of(), java.util.OptionalInt.of(300), List.of()));

    /** An initiator that has sent its PING (so it has something to resend). */
    private static HandshakeState initiator() {
        HandshakeState state = HandshakeState.initiator(CONTEXT);
        state.start();
        return state;
    }
}
