package io.vpncloud.cli;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.core.NodeStatus;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The statsd datagrams, received by a real UDP socket as a statsd server would. */
class StatsdSenderTest {

    private static NodeStatus status(NodeStatus.Traffic traffic) throws Exception {
        PeerAddress peer = new PeerAddress(InetAddress.getByName("192.0.2.1"), 3210);
        NodeId peerId = NodeId.random();
        IpRange range = IpRange.parse("10.0.0.1/32");
        Instant now = Instant.parse("2024-05-01T12:00:00Z");
        return new NodeStatus(NodeId.random(), new InetSocketAddress(3210),
                List.of(new NodeStatus.Peer(peer, peerId, "AES128", now, now, List.of(range))),
                List.of(new NodeStatus.Claim(range, peerId, peer, true),
                        new NodeStatus.Claim(IpRange.parse("10.0.1.0/24"), peerId, peer, true)),
                List.of(), traffic);
    }

    @Test
    void sendsTheReferencesMetricsWithCountersPerPeriod() throws Exception {
        // in: 10 packets 1000 bytes, out: 20 / 3000, dropped 3, invalid 4, control out 5 / 500
        AtomicReference<NodeStatus> current = new AtomicReference<>(status(
                new NodeStatus.Traffic(10, 1000, 20, 3000, 3, 4, 5, 500)));
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             StatsdSender sender = new StatsdSender(new CliConfig.Statsd("127.0.0.1:" + server.getLocalPort(),
                     "net1"), current::get)) {
            server.setSoTimeout(10_000);
            sender.sendNow();
            assertEquals(List.of(
                    "net1.peer_count:1|g",
                    "net1.table_cache_entries:0|g",
                    "net1.table_claims:2|g",
                    "net1.traffic.protocol.inbound.bytes:1000|c",
                    "net1.traffic.protocol.inbound.packets:10|c",
                    "net1.traffic.protocol.outbound.bytes:3500|c",
                    "net1.traffic.protocol.outbound.packets:25|c",
                    "net1.traffic.payload.inbound.bytes:1000|c",
                    "net1.traffic.payload.inbound.packets:10|c",
                    "net1.traffic.payload.outbound.bytes:3000|c",
                    "net1.traffic.payload.outbound.packets:20|c",
                    "net1.invalid_protocol_traffic.bytes:0|c",
                    "net1.invalid_protocol_traffic.packets:4|c",
                    "net1.dropped_payload.bytes:0|c",
                    "net1.dropped_payload.packets:3|c"), receive(server));

            // One period later: in +1 / +100, out +2 / +200, dropped +1, invalid 0, control +1 / +60.
            current.set(status(new NodeStatus.Traffic(11, 1100, 22, 3200, 4, 4, 6, 560)));
            sender.sendNow();
            List<String> second = receive(server);
            assertEquals("net1.traffic.protocol.outbound.bytes:260|c", second.get(5));
            assertEquals("net1.traffic.protocol.outbound.packets:3|c", second.get(6));
            assertEquals("net1.traffic.payload.inbound.bytes:100|c", second.get(7));
            assertEquals("net1.invalid_protocol_traffic.packets:0|c", second.get(12));
            assertEquals("net1.dropped_payload.packets:1|c", second.get(14));
        }
    }

    private static List<String> receive(DatagramSocket server) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        server.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8).lines().toList();
    }
}
