package io.vpncloud.consumer;

import io.vpncloud.api.IpPackets;
import io.vpncloud.api.IpRange;
import io.vpncloud.api.VpnEvent;
import io.vpncloud.core.MemoryTunDevice;
import io.vpncloud.core.VpnNode;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Two embedded nodes on loopback UDP with in-memory devices: b sends a UDP packet to a's address through the VPN,
 * and a receives it. Prints the modules it runs in and what arrived; exits with 1 when nothing did.
 */
public final class TwoNodes {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TwoNodes() {
    }

    /**
     * Runs the two nodes.
     *
     * @param args none
     * @throws Exception when a node cannot start
     */
    public static void main(String[] args) throws Exception {
        System.out.println("modules: " + TwoNodes.class.getModule().getName() + ", "
                + VpnNode.class.getModule().getName() + ", " + IpPackets.class.getModule().getName());
        MemoryTunDevice deviceA = new MemoryTunDevice("a", IpRange.parse("10.0.0.1/24"));
        MemoryTunDevice deviceB = new MemoryTunDevice("b", IpRange.parse("10.0.0.2/24"));
        CountDownLatch routed = new CountDownLatch(1);
        try (VpnNode a = VpnNode.builder().password("consumer").listen("127.0.0.1:0").device(deviceA).build()) {
            a.start();
            try (VpnNode b = VpnNode.builder().password("consumer").listen("127.0.0.1:0").device(deviceB)
                    .peer("127.0.0.1:" + a.listenAddress().getPort())
                    .listener(event -> {
                        if (event instanceof VpnEvent.RouteOwnerChanged r && r.newOwner().isPresent()) {
                            routed.countDown();
                        }
                    })
                    .build()) {
                b.start();
                if (!routed.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    System.out.println("no route from b to a within " + WAIT);
                    System.exit(1);
                }
                deviceB.inject(IpPackets.udp(InetAddress.getByName("10.0.0.2"), 40000,
                        InetAddress.getByName("10.0.0.1"), 7, "hello from b".getBytes(StandardCharsets.UTF_8)));
                Optional<IpPackets.Udp> received = deviceA.receive(WAIT).flatMap(IpPackets::parseUdp);
                if (received.isEmpty()) {
                    System.out.println("nothing arrived at a within " + WAIT);
                    System.exit(1);
                }
                System.out.println("a received: " + new String(received.get().payload(), StandardCharsets.UTF_8)
                        + " from " + received.get().source().getHostAddress());
            }
        }
    }
}
