package io.vpncloud.cli;

import io.vpncloud.api.IpRange;
import io.vpncloud.core.Ipv4Packets;
import io.vpncloud.core.MemoryTunDevice;
import io.vpncloud.core.NodeConfigView;
import io.vpncloud.core.VpnNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeRunnerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void theCommandLineBecomesTheNodesConfiguration() throws UsageException {
        CliConfig config = CommandLineOptionsTest.run("-p", "pw", "-l", "127.0.0.1:4000", "-c", "peer-a:3210",
                "--claim", "10.5.0.0/16", "--no-auto-claim", "--peer-timeout", "2", "--keepalive", "500ms",
                "--algorithm", "chacha20", "-d", "vpn7", "--ip", "10.5.0.1/16", "--fix-rp-filter", "--no-offload");
        NodeConfigView node = NodeConfigView.of(NodeRunner.builder(config));
        assertEquals(new InetSocketAddress("127.0.0.1", 4000), node.listen());
        assertEquals(List.of("peer-a:3210"), node.peers());
        assertEquals(List.of(IpRange.parse("10.5.0.0/16")), node.claims());
        assertFalse(node.autoClaim());
        assertEquals(Duration.ofSeconds(2), node.peerTimeout());
        assertEquals(Optional.of(Duration.ofMillis(500)), node.keepalive());
        assertEquals(1, node.algorithms().size());
        assertEquals("vpn7", node.deviceConfig().name());
        assertEquals(Optional.of(IpRange.parse("10.5.0.1/16")), node.deviceConfig().address());
        assertTrue(node.deviceConfig().fixRpFilter());
        assertFalse(node.deviceConfig().offload());
        assertFalse(node.spreadFlows());
        assertEquals(Optional.empty(), node.healthCheck());
    }

    @Test
    void spreadFlowsAndTheHealthCheckReachTheNode() throws UsageException {
        CliConfig config = CommandLineOptionsTest.run("-p", "pw", "--spread-flows", "--health-check", "true",
                "--health-interval", "300ms", "--health-timeout", "100ms", "--health-rise", "2", "--health-fall", "3");
        NodeConfigView node = NodeConfigView.of(NodeRunner.builder(config));
        assertTrue(node.spreadFlows());
        assertEquals(Optional.of(new NodeConfigView.HealthView(Duration.ofMillis(300), Duration.ofMillis(100), 2, 3)),
                node.healthCheck());
    }

    @Test
    void aPublicKeyThatDoesNotMatchIsRejectedByTheBuilderAsAUsageError() {
        UsageException e = CommandLineOptionsTest.usageError("--private-key",
                "gl7NxDMlseGFwPinpMcAmi4zwJWFV9WqqfDld3Tz2Lg", "--public-key",
                "de1Trtvx1tFUohMy33gPUxMRJ0jIAd0H71aMLUPkMEt");
        assertTrue(e.getMessage().startsWith("--public-key: does not belong to the private key"), e.getMessage());
    }

    @Test
    void runsHooksScriptsStatsAndPidFileAroundTheNode(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("vpncloud.pid");
        Path statsFile = dir.resolve("vpncloud.stats");
        CliConfig config = CommandLineOptionsTest.run("-p", "pw", "-l", "127.0.0.1:0",
                "--peer-timeout", "5", "--keepalive", "1",
                "--hook", "env > '" + dir + "'/$EVENT",
                "--ifup", "echo \"$IFNAME\" > '" + dir.resolve("ifup") + "'",
                "--ifdown", "echo \"$IFNAME\" > '" + dir.resolve("ifdown") + "'",
                "--pid-file", pidFile.toString(), "--stats-file", statsFile.toString());
        MemoryTunDevice serverDevice = new MemoryTunDevice("server0", IpRange.parse("10.9.0.1/24"));
        NodeRunner runner = new NodeRunner(config, Optional.of(serverDevice), Duration.ofMinutes(1));
        MemoryTunDevice clientDevice = new MemoryTunDevice("client0", IpRange.parse("10.9.0.2/24"));
        VpnNode client = null;
        try {
            runner.start();
            assertEquals(List.of("server0"), Files.readAllLines(dir.resolve("ifup")));
            assertEquals(List.of(String.valueOf(ProcessHandle.current().pid())), Files.readAllLines(pidFile));
            assertTrue(Files.readString(statsFile).startsWith("peers:\n"));

            InetSocketAddress server = runner.node().listenAddress();
            client = VpnNode.builder().password("pw").listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .peer("127.0.0.1:" + server.getPort()).device(clientDevice).build();
            client.start();
            // A packet arriving at the server proves that the server has the client as a peer (and so fired
            // peer_connected): it drops data from strangers.
            byte[] hello = Ipv4Packets.udp("10.9.0.2", 1000, "10.9.0.1", 2000, "hello".getBytes(StandardCharsets.UTF_8));
            Optional<byte[]> received = Optional.empty();
            for (int i = 0; i < 100 && received.isEmpty(); i++) {
                clientDevice.inject(hello); // resent until the route to 10.9.0.1 exists
                received = serverDevice.receive(Duration.ofMillis(100));
            }
            assertTrue(received.isPresent(), "the server never received the client's packet");
        } finally {
            runner.close();
            if (client != null) {
                client.close();
            }
        }
        for (String event : List.of("device_setup", "device_configured", "vpn_started", "vpn_shutdown")) {
            Map<String, String> env = EnvironmentDump.read(dir.resolve(event));
            assertEquals(event, env.get("EVENT"));
            assertEquals("server0", env.get("IFNAME"), event);
        }
        Map<String, String> connected = EnvironmentDump.read(dir.resolve("peer_connected"));
        assertEquals("10.9.0.2/32", connected.get("CLAIMS"));
        assertEquals(client.nodeId().toString(), connected.get("NODE_ID"));
        assertTrue(connected.get("PEER").startsWith("127.0.0.1:"), connected.get("PEER"));
        assertEquals("shutdown", EnvironmentDump.read(dir.resolve("peer_disconnected")).get("REASON"));
        assertEquals(List.of("server0"), Files.readAllLines(dir.resolve("ifdown")));
        assertFalse(Files.exists(pidFile), "the pid file is removed at a clean stop");
    }

    @Test
    void sendsToStatsdAndStoresItsBeacon(@TempDir Path dir) throws Exception {
        Path beacon = dir.resolve("beacon");
        try (DatagramSocket statsd = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            statsd.setSoTimeout((int) WAIT.toMillis());
            CliConfig config = CommandLineOptionsTest.run("-p", "pw", "-l", "127.0.0.1:0",
                    "--statsd-server", "127.0.0.1:" + statsd.getLocalPort(), "--statsd-prefix", "t1",
                    "--beacon-store", beacon.toString(), "--beacon-password", "bp",
                    "--advertise-addresses", "192.0.2.7:3210");
            NodeRunner runner = new NodeRunner(config,
                    Optional.of(new MemoryTunDevice("mem0", IpRange.parse("10.9.0.1/24"))), Duration.ofMillis(200));
            try {
                runner.start();
                DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
                statsd.receive(packet);
                String metrics = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                assertTrue(metrics.startsWith("t1.peer_count:0|g\n"), metrics);
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!Files.exists(beacon) && System.nanoTime() < deadline) {
                    Thread.sleep(20); // the beacon thread writes the file; there is no event to wait for
                }
                // Compared as text: decoding fails for one beacon in 256, whose first byte is zero.
                long hour = System.currentTimeMillis() / 3_600_000;
                List<InetSocketAddress> own = List.of(new InetSocketAddress("192.0.2.7", 3210),
                        runner.node().listenAddress());
                String stored = Files.readString(beacon);
                BeaconCodec codec = new BeaconCodec("bp");
                assertTrue(stored.equals(codec.encode(own, hour) + "\n")
                        || stored.equals(codec.encode(own, hour - 1) + "\n"), stored);
            } finally {
                runner.close();
            }
        }
    }
}
