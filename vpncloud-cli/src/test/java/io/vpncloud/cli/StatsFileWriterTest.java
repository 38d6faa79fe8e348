package io.vpncloud.cli;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.core.NodeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StatsFileWriterTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final NodeId PEER_ID = NodeId.fromBytes(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    private static final NodeId OTHER_ID = NodeId.fromBytes(new byte[16]);

    private static NodeStatus status() throws Exception {
        PeerAddress peer = new PeerAddress(InetAddress.getByName("192.0.2.1"), 3210);
        PeerAddress other = new PeerAddress(InetAddress.getByName("192.0.2.2"), 3211);
        IpRange shared = IpRange.parse("10.0.0.1/32");
        return new NodeStatus(NodeId.random(), new InetSocketAddress(3210),
                List.of(new NodeStatus.Peer(peer, PEER_ID, "AES128", NOW.minusSeconds(100), NOW.minusSeconds(10),
                        List.of(shared))),
                List.of(new NodeStatus.Claim(shared, PEER_ID, peer, true),
                        new NodeStatus.Claim(shared, OTHER_ID, other, false)),
                List.of(),
                new NodeStatus.Traffic(3, 300, 4, 400, 5, 6, 7, 700));
    }

    @Test
    void theFileIsYamlWithPeersClaimsAndTraffic(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("vpncloud.stats");
        NodeStatus status = status();
        try (StatsFileWriter writer = new StatsFileWriter(file, () -> status, Duration.ofSeconds(300),
                InstantSource.fixed(NOW))) {
            writer.write();
        }
        // Read back with a YAML parser: an independent check of the layout, not a copy of the writer's strings.
        @SuppressWarnings("unchecked")
        Map<String, Object> yaml = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(file));
        assertEquals(List.of(Map.of("192.0.2.1:3210", Map.of("ttl_secs", 290, "crypto", "AES128",
                "node_id", "0102030405060708090a0b0c0d0e0f10"))), yaml.get("peers"));
        assertEquals(Map.of("claims", List.of(
                Map.of("10.0.0.1/32", Map.of("peer", "192.0.2.1:3210", "node_id", "0102030405060708090a0b0c0d0e0f10",
                        "active", true)),
                Map.of("10.0.0.1/32", Map.of("peer", "192.0.2.2:3211", "node_id", "00000000000000000000000000000000",
                        "active", false)))), yaml.get("forwarding_table"));
        assertEquals(Map.of("in", Map.of("bytes", 300, "packets", 3), "out", Map.of("bytes", 400, "packets", 4)),
                yaml.get("payload_traffic"));
        assertEquals(Map.of("packets", 6), yaml.get("invalid_protocol_traffic"));
        assertEquals(Map.of("packets", 5), yaml.get("dropped_payload_traffic"));
        assertEquals(List.of(), Files.list(dir).filter(p -> !p.equals(file)).toList(), "no temporary file left");
    }

    @Test
    void ttlNeverGoesBelowZero() throws Exception {
        String text = StatsFileWriter.format(status(), Duration.ofSeconds(5), NOW);
        assertEquals(1, text.lines().filter(line -> line.contains("ttl_secs: 0,")).count(), text);
    }
}
