package io.vpncloud.core;

import io.vpncloud.api.PeerAddress;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.vpncloud.core.InitQueueTest.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Datagrams that overtook their sender's handshake wait for the peer, in order, for a bounded time. */
class EarlyDatagramsTest {
    private final Map<PeerAddress, Peer> peers = new HashMap<>();
    private final List<String> delivered = new ArrayList<>();

    @Test
    void heldDatagramsGoOnInOrderOnceTheirSenderIsAPeer() throws Exception {
        EarlyDatagrams early = new EarlyDatagrams();
        PeerAddress a = address("192.0.2.1", 3210);
        PeerAddress b = address("192.0.2.2", 3210);
        early.hold(a, datagram("a1"), null, 0);
        early.hold(b, datagram("b1"), null, 0);
        early.hold(a, datagram("a2"), null, 0);
        assertTrue(early.isHolding());

        assertEquals(0, early.release(peers::get, this::deliver, 1000));
        assertEquals(List.of(), delivered, "no peer yet: everything waits");

        peers.put(a, placeholderPeer());
        assertEquals(0, early.release(peers::get, this::deliver, 2000));
        assertEquals(List.of("a1", "a2"), delivered);
        assertTrue(early.isHolding(), "b's datagram still waits");

        assertEquals(1, early.release(peers::get, this::deliver, EarlyDatagrams.HOLD_NANOS + 1),
                "b never became a peer: dropped after the hold time");
        assertFalse(early.isHolding());
    }

    @Test
    void aDatagramTheOldSessionCouldNotOpenWaitsForTheNewPeer() throws Exception {
        EarlyDatagrams early = new EarlyDatagrams();
        PeerAddress a = address("192.0.2.1", 3210);
        Peer old = placeholderPeer();
        peers.put(a, old);
        early.hold(a, datagram("new session"), old, 0);
        early.release(peers::get, this::deliver, 1);
        assertEquals(List.of(), delivered, "not back to the session that failed");
        peers.put(a, placeholderPeer());
        early.release(peers::get, this::deliver, 2);
        assertEquals(List.of("new session"), delivered);
    }

    @Test
    void heldDatagramsBecomeOverdueSoThatTheControlThreadWakesTheReceiver() throws Exception {
        EarlyDatagrams early = new EarlyDatagrams();
        PeerAddress a = address("192.0.2.1", 3210);
        assertFalse(early.isOverdue(EarlyDatagrams.HOLD_NANOS * 10), "nothing held");
        early.hold(a, datagram("x"), null, 100);
        assertFalse(early.isOverdue(100 + EarlyDatagrams.HOLD_NANOS));
        assertTrue(early.isOverdue(101 + EarlyDatagrams.HOLD_NANOS));
        assertEquals(1, early.release(peers::get, this::deliver, 101 + EarlyDatagrams.HOLD_NANOS));
        assertFalse(early.isOverdue(Long.MAX_VALUE / 2), "dropped and counted");
    }

    @Test
    void theOldestGiveWayWhenFull() throws Exception {
        EarlyDatagrams early = new EarlyDatagrams();
        PeerAddress a = address("192.0.2.1", 3210);
        for (int i = 0; i < EarlyDatagrams.CAPACITY + 5; i++) {
            early.hold(a, datagram("p" + i), null, 0);
        }
        peers.put(a, placeholderPeer());
        early.release(peers::get, this::deliver, 1);
        assertEquals(EarlyDatagrams.CAPACITY, delivered.size());
        assertEquals("p5", delivered.get(0));
    }

    private void deliver(PeerAddress from, ByteBuffer datagram) {
        byte[] bytes = new byte[datagram.remaining()];
        datagram.get(bytes);
        delivered.add(new String(bytes, java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static ByteBuffer datagram(String text) {
        return ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Only whether a peer exists matters here. */
    private static Peer placeholderPeer() throws Exception {
        io.vpncloud.api.NodeId id = io.vpncloud.api.NodeId.random();
        return new Peer(address("192.0.2.1", 3210), id, io.vpncloud.core.crypto.SessionCipher.plaintext(), null,
                io.vpncloud.core.wire.NodeInfo.of(id, List.of(), List.of(), java.util.OptionalInt.empty(), List.of()),
                java.time.Instant.EPOCH, java.time.Duration.ofMinutes(2));
    }
}
