package io.vpncloud.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends numbered UDP flows (one source port each) from a client to a shared address and finds out which server each
 * flow arrived at, for tests of flow spreading.
 */
final class FlowSpread {
    static final String CLIENT = "10.0.0.100";
    static final String SHARED = "10.0.0.1";
    private static final int FIRST_PORT = 20000;

    private FlowSpread() {
    }

    /**
     * Sends one packet of each of {@code flows} flows, {@code rounds} times, and returns where each flow went.
     *
     * @throws AssertionError when a packet did not arrive within {@code timeout} or the packets of one flow
     *                        arrived at different servers
     */
    static Map<Integer, TestNode> send(TestNode client, List<TestNode> servers, int flows, int rounds,
                                       Duration timeout) throws Exception {
        for (int round = 0; round < rounds; round++) {
            for (int flow = 0; flow < flows; flow++) {
                client.device.inject(Ipv4Packets.udp(CLIENT, FIRST_PORT + flow, SHARED, 7,
                        ("flow " + flow).getBytes(StandardCharsets.UTF_8)));
            }
        }
        Map<Integer, TestNode> arrivals = new HashMap<>();
        int expected = flows * rounds;
        int received = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received < expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + received + " of " + expected + " packets arrived: " + arrivals);
            }
            for (TestNode server : servers) {
                byte[] packet = server.receive(Duration.ofMillis(5)).orElse(null);
                if (packet == null) {
                    continue;
                }
                received++;
                int flow = Integer.parseInt(Ipv4Packets.payloadText(packet).substring("flow ".length()));
                TestNode before = arrivals.put(flow, server);
                if (before != null && before != server) {
                    throw new AssertionError("flow " + flow + " arrived at " + before + " and at " + server);
                }
            }
        }
        return arrivals;
    }
}
