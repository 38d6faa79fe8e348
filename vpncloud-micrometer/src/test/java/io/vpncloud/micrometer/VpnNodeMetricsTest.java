package io.vpncloud.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vpncloud.api.IpPackets;
import io.vpncloud.api.IpRange;
import io.vpncloud.api.VpnEvent;
import io.vpncloud.core.MemoryTunDevice;
import io.vpncloud.core.VpnNode;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two real nodes over loopback UDP with in-memory devices, measured through a {@link SimpleMeterRegistry}. */
class VpnNodeMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int PACKETS = 5;

    @Test
    void countsTrafficAndShowsPeersClaimsAndRoles() throws Exception {
        CountDownLatch serverActive = new CountDownLatch(1);
        CountDownLatch clientConnected = new CountDownLatch(1);
        MemoryTunDevice serverDevice = new MemoryTunDevice("server", IpRange.parse("10.0.0.1/24"));
        MemoryTunDevice clientDevice = new MemoryTunDevice("client", IpRange.parse("10.0.0.100/24"));
        try (VpnNode server = node(serverDevice).listener(event -> {
                    if (event instanceof VpnEvent.RoleChanged r && r.role() == VpnEvent.Role.ACTIVE) {
                        serverActive.countDown();
                    }
                }).build();
             VpnNodeMetrics serverMetrics = new VpnNodeMetrics(server, Tags.of("node", "server"), Duration.ZERO)) {
            MeterRegistry registry = new SimpleMeterRegistry();
            serverMetrics.bindTo(registry); // before start: NaN, not an exception
            assertTrue(Double.isNaN(registry.get("vpncloud.peers").gauge().value()));
            server.start();
            try (VpnNode client = node(clientDevice).peer("127.0.0.1:" + server.listenAddress().getPort())
                    .listener(event -> {
                        if (event instanceof VpnEvent.RouteOwnerChanged r && r.newOwner().isPresent()
                                && r.range().equals(IpRange.parse("10.0.0.1/32"))) {
                            clientConnected.countDown();
                        }
                    }).build();
                 VpnNodeMetrics clientMetrics = new VpnNodeMetrics(client, Tags.empty(), Duration.ZERO)) {
                MeterRegistry clientRegistry = new SimpleMeterRegistry();
                clientMetrics.bindTo(clientRegistry);
                client.start();
                assertTrue(clientConnected.await(WAIT.toSeconds(), TimeUnit.SECONDS), "client routes 10.0.0.1 to the server");

                byte[] payload = "counted".getBytes(StandardCharsets.UTF_8);
                byte[] packet = IpPackets.udp(InetAddress.getByName("10.0.0.100"), 5000,
                        InetAddress.getByName("10.0.0.1"), 6000, payload);
                for (int i = 0; i < PACKETS; i++) {
                    clientDevice.inject(packet);
                    assertEquals(IpPackets.parseUdp(packet), IpPackets.parseUdp(serverDevice.receive(WAIT).orElseThrow()));
                }
                assertTrue(serverActive.await(WAIT.toSeconds(), TimeUnit.SECONDS), "server active for 10.0.0.1");
                // The counters follow the delivery to the device: wait for them rather than race them.
                awaitCondition(() -> server.status().traffic().packetsIn() == PACKETS);
                awaitCondition(() -> client.status().traffic().packetsOut() == PACKETS);
                awaitStatusCacheExpiry();
                serverMetrics.refresh();
                clientMetrics.refresh();

                assertEquals(PACKETS, clientRegistry.get("vpncloud.traffic.packets").tag("direction", "out")
                        .functionCounter().count());
                assertEquals(PACKETS, registry.get("vpncloud.traffic.packets").tags("direction", "in", "node", "server")
                        .functionCounter().count());
                assertEquals((double) PACKETS * packet.length,
                        registry.get("vpncloud.traffic.bytes").tag("direction", "in").functionCounter().count());
                assertEquals(0, registry.get("vpncloud.traffic.packets").tag("direction", "out").functionCounter()
                        .count());
                assertTrue(registry.get("vpncloud.control.packets").functionCounter().count() > 0);
                assertEquals(0, clientRegistry.get("vpncloud.packets.flooded").functionCounter().count(),
                        "a TUN node in the default mode never floods");
                assertEquals(0, clientRegistry.get("vpncloud.addresses.unlearned").functionCounter().count());
                assertEquals(0, clientRegistry.get("vpncloud.addresses.learned").gauge().value());
                assertEquals(1, registry.get("vpncloud.peers").gauge().value());
                assertEquals(1, clientRegistry.get("vpncloud.peers").gauge().value());

                // The server's own claim 10.0.0.1/32, used by the client.
                assertEquals(1, registry.get("vpncloud.claim.active").tag("range", "10.0.0.1/32").gauge().value());
                assertEquals(1, registry.get("vpncloud.claim.users").tag("range", "10.0.0.1/32").gauge().value());
                assertEquals(1, registry.get("vpncloud.own.claims").tag("role", "active").gauge().value());
                assertEquals(0, registry.get("vpncloud.own.claims").tag("role", "standby").gauge().value());
                // The client sees the server as a peer claiming one range; each sees the other's claim in its table.
                String serverPeer = "127.0.0.1:" + server.listenAddress().getPort();
                assertEquals(1, clientRegistry.get("vpncloud.peer.claims").tag("node", server.nodeId().toString())
                        .gauge().value(), "peer tag " + serverPeer);
                assertEquals(1, clientRegistry.get("vpncloud.range.claimants").tag("range", "10.0.0.1/32").gauge()
                        .value());
                assertEquals(1, clientRegistry.get("vpncloud.claims").gauge().value());
                assertEquals(1, registry.get("vpncloud.range.claimants").tag("range", "10.0.0.100/32").gauge().value());
            }
            // The client is gone: after a refresh its peer row is gone too.
            awaitStatusCacheExpiry();
            serverMetrics.refresh();
            assertEquals(0, registry.get("vpncloud.peers").gauge().value());
            assertTrue(registry.find("vpncloud.peer.claims").gauges().isEmpty());
        }
    }

    private static VpnNode.Builder node(MemoryTunDevice device) {
        return VpnNode.builder().password("metrics-test").listen("127.0.0.1:0").device(device)
                .peerTimeout(Duration.ofSeconds(2)).keepalive(Duration.ofMillis(200));
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within " + WAIT);
            Thread.sleep(10);
        }
    }

    /** The binder asks the node at most every 100 ms: wait that long so that the next read sees the present. */
    private static void awaitStatusCacheExpiry() throws InterruptedException {
        Thread.sleep(150);
    }
}
