package io.vpncloud.core.peer;

import static io.vpncloud.core.peer.PeerTableTest.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.api.PeerAddress;
import org.junit.jupiter.api.Test;

class HandshakeLimiterTest {

    @Test
    void limitsHandshakesPerSourceIpWhateverThePort() {
        HandshakeLimiter limiter = new HandshakeLimiter(256, 4, 32);
        for (int port = 1; port <= 4; port++) {
            assertTrue(limiter.tryAcquire(address("203.0.113.7", port)));
        }

        assertFalse(limiter.tryAcquire(address("203.0.113.7", 5)));
        assertTrue(limiter.tryAcquire(address("203.0.113.8", 5)));
        limiter.release(address("203.0.113.7", 2));
        assertTrue(limiter.tryAcquire(address("203.0.113.7", 5)));
    }

    @Test
    void aFloodFromManyAddressesLeavesTheReserveToConfiguredPeers() {
        HandshakeLimiter limiter = new HandshakeLimiter();
        int accepted = 0;
        for (int i = 0; i < 10_000; i++) {
            if (limiter.tryAcquire(address("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), 3210))) {
                accepted++;
            }
        }

        assertEquals(256 - 32, accepted);
        for (int i = 0; i < 32; i++) {
            assertTrue(limiter.tryAcquireConfigured(address("192.0.2." + i, 3210)));
        }
        assertFalse(limiter.tryAcquireConfigured(address("192.0.2.200", 3210)), "the total is a hard cap");
        assertEquals(256, limiter.pending());
    }

    @Test
    void outgoingHandshakesAreLimitedOnlyByTheOrdinarySlotsAndLeaveThePerSourceBudgetToIncomingOnes() {
        HandshakeLimiter limiter = new HandshakeLimiter(16, 2, 4); // 12 ordinary slots, 2 per source
        for (int port = 1; port <= 6; port++) {
            assertTrue(limiter.tryAcquireOutgoing(address("127.0.0.1", port)), "outgoing " + port);
        }
        assertTrue(limiter.tryAcquire(address("127.0.0.1", 100)));
        assertTrue(limiter.tryAcquire(address("127.0.0.1", 101)));
        assertFalse(limiter.tryAcquire(address("127.0.0.1", 102)), "incoming ones are still limited per source");

        limiter.release(address("127.0.0.1", 1));
        assertFalse(limiter.tryAcquire(address("127.0.0.1", 102)), "an outgoing slot is no per-source slot");
        for (int port = 7; port <= 11; port++) {
            assertTrue(limiter.tryAcquireOutgoing(address("127.0.0.1", port)), "outgoing " + port);
        }
        assertFalse(limiter.tryAcquireOutgoing(address("127.0.0.1", 12)), "the ordinary slots are all taken");
        assertEquals(12, limiter.pending());
    }

    @Test
    void configuredPeersAreNotLimitedPerSource() {
        HandshakeLimiter limiter = new HandshakeLimiter(16, 1, 4);

        assertTrue(limiter.tryAcquire(address("198.51.100.1", 1)));
        assertTrue(limiter.tryAcquireConfigured(address("198.51.100.1", 2)));
        assertTrue(limiter.tryAcquireConfigured(address("198.51.100.1", 3)));
        assertFalse(limiter.tryAcquire(address("198.51.100.1", 4)));
    }

    @Test
    void acquiringTwiceHoldsOneSlotAndReleasingUnknownAddressesIsHarmless() {
        HandshakeLimiter limiter = new HandshakeLimiter(8, 2, 0);
        PeerAddress peer = address("198.51.100.1", 1);

        assertTrue(limiter.tryAcquire(peer));
        assertTrue(limiter.tryAcquire(peer));
        assertEquals(1, limiter.pending());
        limiter.release(address("198.51.100.9", 1));
        limiter.release(peer);
        limiter.release(peer);
        assertEquals(0, limiter.pending());
        assertTrue(limiter.tryAcquire(address("198.51.100.1", 2)));
        assertTrue(limiter.tryAcquire(address("198.51.100.1", 3)));
    }

    @Test
    void releasingAConfiguredSlotFreesTheReserve() {
        HandshakeLimiter limiter = new HandshakeLimiter(2, 2, 1);
        assertTrue(limiter.tryAcquire(address("198.51.100.1", 1)));
        assertFalse(limiter.tryAcquire(address("198.51.100.2", 1)));
        assertTrue(limiter.tryAcquireConfigured(address("192.0.2.1", 1)));
        assertFalse(limiter.tryAcquireConfigured(address("192.0.2.2", 1)));

        limiter.release(address("192.0.2.1", 1));

        assertTrue(limiter.tryAcquireConfigured(address("192.0.2.2", 1)));
    }

    @Test
    void rejectsLimitsThatLeaveNoRoom() {
        assertThrows(IllegalArgumentException.class, () -> new HandshakeLimiter(4, 1, 4));
        assertThrows(IllegalArgumentException.class, () -> new HandshakeLimiter(4, 0, 1));
    }
}
