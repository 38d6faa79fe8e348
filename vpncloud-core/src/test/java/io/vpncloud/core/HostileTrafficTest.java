package io.vpncloud.core;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Garbage, forged and flooding datagrams are counted and dropped; the node keeps serving its real peers. */
class HostileTrafficTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void malformedDatagramsAreCountedAndDropped() throws Exception {
        try (TestNode a = TestNode.start("a", "10.3.0.1/24", b -> b);
             TestNode b = TestNode.start("b", "10.3.0.2/24", o -> o.peer(a.address()));
             DatagramChannel attacker = DatagramChannel.open()) {
            b.awaitPeers(1, WAIT);
            a.awaitPeers(1, WAIT);
            Random random = new Random(42);
            int sent = 0;
            for (int i = 0; i < 300; i++) {
                byte[] junk = new byte[random.nextInt(200)];
                random.nextBytes(junk);
                if (i % 3 == 0 && junk.length > 0) {
                    junk[0] = (byte) 0xFF; // looks like an init message
                }
                attacker.send(ByteBuffer.wrap(junk), new InetSocketAddress("127.0.0.1", a.node.listenAddress().getPort()));
                sent++;
            }
            int expected = sent;
            a.awaitCondition(WAIT, "counting every junk datagram",
                    () -> a.node.status().traffic().invalid() >= expected);

            // The session with b is unaffected.
            b.send("10.3.0.2", "10.3.0.1", "still here");
            assertEquals("still here", Ipv4Packets.payloadText(a.receive(WAIT).orElseThrow()));
            assertEquals(1, a.node.status().peers().size());
        }
    }

    @Test
    void aFloodOfValidPingsFromManyAddressesDoesNotKeepRealPeersOut() throws Exception {
        // The captured PING is signed with the key of "mysecret", so a node with that password answers it.
        byte[] ping = CaptureFile.load("capture-aes128.txt").datagrams().get(0).payload();
        int cap = 16;
        try (TestNode a = TestNode.start("a", "10.3.0.1/24", o -> o.password("mysecret").maxPendingHandshakes(cap))) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", a.node.listenAddress().getPort());
            List<DatagramChannel> flooders = new ArrayList<>();
            try {
                for (int i = 0; i < 100; i++) {
                    // Many source addresses (all of 127.0.0.0/8 is loopback), so the per-address cap does not help.
                    DatagramChannel flooder = DatagramChannel.open().bind(new InetSocketAddress("127.0.1." + (i + 1), 0));
                    flooders.add(flooder);
                    flooder.send(ByteBuffer.wrap(ping), target);
                }
                // Each flooder that got a slot receives a PONG; the rest are dropped once the cap is reached.
                a.awaitCondition(WAIT, "dropping the init messages over the cap",
                        () -> a.node.status().traffic().invalid() >= 100 - cap);
                int answered = 0;
                ByteBuffer buffer = ByteBuffer.allocate(2048);
                for (DatagramChannel flooder : flooders) {
                    flooder.configureBlocking(false);
                    buffer.clear();
                    if (flooder.receive(buffer) != null) {
                        answered++;
                    }
                }
                assertTrue(answered <= cap, answered + " handshakes answered, more than the cap of " + cap);
                assertTrue(answered > 0, "no handshake was answered at all");

                // A real peer still gets in: the flood's unfinished handshakes give way to it.
                try (TestNode b = TestNode.start("b", "10.3.0.2/24", o -> o.password("mysecret").peer(a.address()))) {
                    b.awaitPeers(1, WAIT);
                }
            } finally {
                for (DatagramChannel flooder : flooders) {
                    flooder.close();
                }
            }
        }
    }
}
