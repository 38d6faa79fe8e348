package io.vpncloud.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.api.IpRange;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes with in-memory TAP devices on loopback UDP, in the default mode (a switch with TAP): frames to
 * addresses nobody is known for go to every peer, the answers teach where an address lives, and from then on frames
 * go only there, until the address expires. Whether a frame went somewhere it should not is seen by a fence: a
 * broadcast frame sent after it, which must be the next frame the node gets.
 */
class SwitchModeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String MAC_A = "02:00:00:00:00:0a";
    private static final String MAC_B = "02:00:00:00:00:0b";
    private static final String MAC_C = "02:00:00:00:00:0c";
    private static final String BROADCAST = "ff:ff:ff:ff:ff:ff";
    private static final Duration SWITCH_TIMEOUT = Duration.ofSeconds(30);

    private final ManualClock clockOfA = new ManualClock();
    private TestNode a;
    private TestNode b;
    private TestNode c;

    private void startThree(UnaryOperator<VpnNode.Builder> mode) throws Exception {
        a = TestNode.startTap("a", builder -> mode.apply(builder).clock(clockOfA).switchTimeout(SWITCH_TIMEOUT));
        b = TestNode.startTap("b", builder -> mode.apply(builder).peer(a.address()));
        c = TestNode.startTap("c", builder -> mode.apply(builder).peer(a.address()).peer(b.address()));
        for (TestNode node : new TestNode[] {a, b, c}) {
            node.awaitPeers(2, WAIT);
        }
    }

    @AfterEach
    void stop() {
        for (TestNode node : new TestNode[] {c, b, a}) {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    void unknownDestinationsAreFloodedAndLearnedAddressesGetTheirFramesAlone() throws Exception {
        startThree(b -> b);

        a.sendFrame(MAC_B, MAC_A, "a->b unknown");
        b.expectFrame("a->b unknown", WAIT);
        c.expectFrame("a->b unknown", WAIT);
        assertEquals(1, a.node.status().traffic().flooded());

        b.sendFrame(MAC_A, MAC_B, "b->a answer"); // b learned MAC_A from the flooded frame
        b.sendFrame(BROADCAST, MAC_B, "fence 1");
        a.expectFrame("b->a answer", WAIT);
        a.expectFrame("fence 1", WAIT);
        c.expectFrame("fence 1", WAIT);
        assertEquals(1, b.node.status().traffic().flooded(), "only the fence was flooded");

        a.sendFrame(MAC_B, MAC_A, "a->b learned"); // a learned MAC_B from the answer
        a.sendFrame(BROADCAST, MAC_A, "fence 2");
        b.expectFrame("a->b learned", WAIT);
        b.expectFrame("fence 2", WAIT);
        c.expectFrame("fence 2", WAIT);
        assertEquals(2, a.node.status().traffic().flooded());
        assertEquals(0, a.node.status().traffic().dropped());
        assertEquals(1, a.node.status().learnedAddresses(), "MAC_B");
        assertEquals(2, c.node.status().learnedAddresses(), "MAC_A and MAC_B, from the flooded frames");
    }

    @Test
    void broadcastAndMulticastFramesGoToEveryPeerAlsoFromLearnedSources() throws Exception {
        startThree(b -> b.mode(ForwardingMode.SWITCH));
        a.sendFrame(MAC_B, MAC_A, "teach b and c where MAC_A is");
        b.expectFrame("teach b and c where MAC_A is", WAIT);
        c.expectFrame("teach b and c where MAC_A is", WAIT);

        a.sendFrame(BROADCAST, MAC_A, "broadcast");
        a.sendFrame("01:00:5e:00:00:fb", MAC_A, "multicast");
        a.device.inject(EthernetFrames.tagged(7, BROADCAST, MAC_A, "broadcast in vlan 7"));

        for (TestNode node : new TestNode[] {b, c}) {
            node.expectFrame("broadcast", WAIT);
            node.expectFrame("multicast", WAIT);
            node.expectFrame("broadcast in vlan 7", WAIT);
        }
        assertEquals(4, a.node.status().traffic().flooded());
    }

    @Test
    void aLearnedAddressExpiresAfterTheSwitchTimeoutWithoutFramesFromIt() throws Exception {
        startThree(b -> b);
        a.sendFrame(MAC_B, MAC_A, "unknown");
        b.expectFrame("unknown", WAIT);
        c.expectFrame("unknown", WAIT);
        b.sendFrame(MAC_A, MAC_B, "answer");
        a.expectFrame("answer", WAIT); // a learned MAC_B now, at the time of its clock

        clockOfA.advance(SWITCH_TIMEOUT.minusSeconds(1));
        a.node.tickNow(); // the data threads read the time the control thread publishes each tick
        a.sendFrame(MAC_B, MAC_A, "still learned");
        a.sendFrame(BROADCAST, MAC_A, "fence");
        b.expectFrame("still learned", WAIT);
        c.expectFrame("fence", WAIT);
        b.expectFrame("fence", WAIT);

        assertEquals(1, a.node.status().learnedAddresses());
        clockOfA.advance(Duration.ofSeconds(1));
        a.node.tickNow();
        assertEquals(0, a.node.status().learnedAddresses());
        a.sendFrame(MAC_B, MAC_A, "expired");
        b.expectFrame("expired", WAIT);
        c.expectFrame("expired", WAIT);
        assertEquals(3, a.node.status().traffic().flooded(), "the first frame, the fence and the expired one");
    }

    @Test
    void aVlanIsItsOwnAddressSpace() throws Exception {
        startThree(b -> b);
        b.device.inject(EthernetFrames.tagged(5, MAC_C, MAC_B, "b in vlan 5"));
        a.expectFrame("b in vlan 5", WAIT);
        c.expectFrame("b in vlan 5", WAIT);

        // a knows MAC_B in VLAN 5 only: untagged, and in VLAN 6, it is still unknown.
        a.device.inject(EthernetFrames.tagged(5, MAC_B, MAC_A, "to b in vlan 5"));
        a.sendFrame(MAC_B, MAC_A, "to b untagged");
        a.device.inject(EthernetFrames.tagged(6, MAC_B, MAC_A, "to b in vlan 6"));
        b.expectFrame("to b in vlan 5", WAIT);
        b.expectFrame("to b untagged", WAIT);
        b.expectFrame("to b in vlan 6", WAIT);
        c.expectFrame("to b untagged", WAIT);
        c.expectFrame("to b in vlan 6", WAIT);
    }

    @Test
    void framesTooShortForAnEthernetHeaderAreCountedAndDropped() throws Exception {
        startThree(b -> b);

        a.device.inject(new byte[13]);
        byte[] truncatedTag = new byte[17];
        truncatedTag[12] = (byte) 0x81;
        a.device.inject(truncatedTag);
        a.sendFrame(BROADCAST, MAC_A, "after the short ones");

        b.expectFrame("after the short ones", WAIT);
        c.expectFrame("after the short ones", WAIT);
        assertEquals(2, a.node.status().traffic().dropped());
        assertEquals(1, a.node.status().traffic().flooded());
    }

    @Test
    void framesFromPeersTooShortForAnEthernetHeaderAreInvalid() throws Exception {
        // A hub with a TUN device sends whatever its device gives to every peer: here, ten bytes.
        TestNode tap = TestNode.startTap("tap", b -> b);
        try (TestNode hub = TestNode.start("hub", "10.0.0.1/24",
                b -> b.mode(ForwardingMode.HUB).autoClaim(false).peer(tap.address()))) {
            hub.awaitPeers(1, WAIT);
            tap.awaitPeers(1, WAIT);
            long invalidBefore = tap.node.status().traffic().invalid();

            hub.device.inject(new byte[] {0x45, 0, 0, 10, 0, 0, 0, 0, 64, 17});
            hub.device.inject(EthernetFrames.frame(BROADCAST, MAC_B, "a frame after it"));

            tap.expectFrame("a frame after it", WAIT);
            assertEquals(invalidBefore + 1, tap.node.status().traffic().invalid());
            assertEquals(2, hub.node.status().traffic().flooded());
        } finally {
            tap.close();
        }
    }

    @Test
    void noAddressIsClaimedAutomaticallyWithATapDevice() throws Exception {
        MemoryTunDevice device = new MemoryTunDevice("tap-with-address", IpRange.parse("10.0.0.1/24"), 1413, 16,
                io.vpncloud.api.DeviceType.TAP);
        try (VpnNode node = VpnNode.builder().password("test-password").listen("127.0.0.1:0").device(device)
                .claim("02:00:00:00:00:01/48").build()) {
            node.start();
            assertEquals(1, node.status().ownClaims().size());
            assertEquals("02:00:00:00:00:01/48", node.status().ownClaims().get(0).range().toString());
        }
        assertTrue(device.toString().contains("TAP"));
    }
}
