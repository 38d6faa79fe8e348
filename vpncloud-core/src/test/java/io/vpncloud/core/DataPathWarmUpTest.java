package io.vpncloud.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.api.IpRange;
import io.vpncloud.core.crypto.Algorithm;
import io.vpncloud.core.net.JdkUdpSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The start-up warm-up of the data path: real packets through the real paths, and no trace on the node. */
class DataPathWarmUpTest {
    private static final DataPathWarmUp.SocketOpener JDK_SOCKETS = listen -> JdkUdpSocket.bind(listen, 1 << 20);

    private static DataPathWarmUp.Result run(Algorithm algorithm, ForwardingMode mode, boolean spreadFlows,
                                             int packets, Duration limit) throws Exception {
        return DataPathWarmUp.run(WarmUpDevices.inMemory(), algorithm, mode, Duration.ofMinutes(5), spreadFlows,
                JDK_SOCKETS, packets, limit);
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(DataPathWarmUp.PROPERTY);
    }

    @Test
    void everyPacketGoesThroughTheSendAndReceivePathsToTheOtherDevice() throws Exception {
        DataPathWarmUp.Result result = run(Algorithm.AES128, ForwardingMode.NORMAL, false, 400, Duration.ofMinutes(1));
        assertEquals(400, result.sent());
        assertEquals(400, result.delivered()); // decrypted by the receive path and written to the receiving device
    }

    @Test
    void chaChaAndSpreadFlowsToo() throws Exception {
        DataPathWarmUp.Result result = run(Algorithm.CHACHA20, ForwardingMode.ROUTER, true, 100, Duration.ofMinutes(1));
        assertEquals(100, result.delivered());
    }

    @Test
    void stopsAtItsTimeLimit() {
        Duration limit = Duration.ofMillis(200);
        DataPathWarmUp.Result result = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> run(Algorithm.AES128, ForwardingMode.NORMAL, false, Integer.MAX_VALUE, limit));
        assertTrue(result.sent() < Integer.MAX_VALUE);
        assertTrue(result.took().compareTo(limit) >= 0, result.toString());
        assertEquals(result.sent(), result.delivered());
    }

    @Test
    void leavesNoSendThreadBehind() throws Exception {
        DataPathWarmUp.Result result = run(Algorithm.AES128, ForwardingMode.NORMAL, false, 200, Duration.ofMinutes(1));
        assertEquals(200, result.delivered());
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(
                thread -> thread.getName().equals("vpncloud-warm-up-send") && thread.isAlive()));
    }

    @Test
    void eachRoundRunsOnANewThreadWithNewDevicesAndTheRoundsShareThePackets() throws Exception {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        NodeConfig config = VpnNode.builder().password("x").toConfig();
        DataPathWarmUp.Result result = DataPathWarmUp.rounds(() -> {
            threads.add(Thread.currentThread());
            return WarmUpDevices.inMemory();
        }, Algorithm.AES128, config, JDK_SOCKETS, 301, DataPathWarmUp.TIME_LIMIT, System::nanoTime);
        assertEquals(DataPathWarmUp.ROUNDS, threads.size());
        assertEquals(DataPathWarmUp.ROUNDS, Set.copyOf(threads).size(), threads.toString());
        assertFalse(threads.contains(Thread.currentThread()));
        assertEquals(301, result.sent());
        assertEquals(301, result.delivered());
        assertEquals(DataPathWarmUp.ROUNDS, result.rounds());
    }

    @Test
    void noRoundStartsOnceTheTimeLimitHasPassed() throws Exception {
        NodeConfig config = VpnNode.builder().password("x").toConfig();
        Duration limit = Duration.ofSeconds(1);
        AtomicLong clock = new AtomicLong();
        DataPathWarmUp.Result result = DataPathWarmUp.rounds(() -> {
            clock.set(limit.toNanos()); // this round takes the whole limit
            return WarmUpDevices.inMemory();
        }, Algorithm.AES128, config, JDK_SOCKETS, 301, limit, clock::get);
        assertEquals(1, result.rounds());
        assertEquals(151, result.sent()); // the first round's share only
        assertEquals(151, result.delivered());
    }

    @Test
    void aFailingRoundFailsTheWarmUpWithItsOwnException() {
        NodeConfig config = VpnNode.builder().password("x").toConfig();
        DataPathWarmUp.SocketOpener refusing = listen -> {
            throw new java.net.BindException("no sockets here");
        };
        java.net.BindException e = assertThrows(java.net.BindException.class, () -> DataPathWarmUp.rounds(
                WarmUpDevices::inMemory, Algorithm.AES128, config, refusing, 100, DataPathWarmUp.TIME_LIMIT,
                System::nanoTime));
        assertEquals("no sockets here", e.getMessage());
    }

    @Test
    void aStartedNodeWarmedUpWithoutTouchingItsDeviceOrCounters() throws Exception {
        DataPathWarmUp.forgetForTest();
        MemoryTunDevice device = new MemoryTunDevice("warm", IpRange.parse("10.0.0.1/24"));
        try (VpnNode node = VpnNode.builder().password("test-password").listen("127.0.0.1:0").device(device)
                .build()) {
            node.start();
            DataPathWarmUp.Result result = DataPathWarmUp.lastRun().orElseThrow();
            assertTrue(result.delivered() > 0, result.toString());
            assertFalse(device.receive(Duration.ZERO).isPresent()); // nothing was written to the node's device
            assertEquals(0, device.droppedPackets());
            NodeStatus.Traffic traffic = node.status().traffic();
            assertEquals(new NodeStatus.Traffic(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), traffic);
        }
    }

    @Test
    void thePropertyTurnsItOff() throws Exception {
        DataPathWarmUp.forgetForTest();
        System.setProperty(DataPathWarmUp.PROPERTY, "false");
        try (VpnNode node = VpnNode.builder().password("test-password").listen("127.0.0.1:0")
                .device(new MemoryTunDevice("cold", IpRange.parse("10.0.0.1/24"))).build()) {
            node.start();
            assertFalse(DataPathWarmUp.lastRun().isPresent());
        }
    }

    @Test
    void aNumberSetsThePackets() throws Exception {
        DataPathWarmUp.forgetForTest();
        System.setProperty(DataPathWarmUp.PROPERTY, "300");
        try (VpnNode node = VpnNode.builder().password("test-password").listen("127.0.0.1:0")
                .device(new MemoryTunDevice("few", IpRange.parse("10.0.0.1/24"))).build()) {
            node.start();
            assertEquals(300, DataPathWarmUp.lastRun().orElseThrow().sent());
        }
    }

    @Test
    void aBadValueFailsTheStartNamingTheProperty() {
        System.setProperty(DataPathWarmUp.PROPERTY, "maybe");
        VpnNode node = VpnNode.builder().password("test-password").listen("127.0.0.1:0")
                .device(new MemoryTunDevice("bad", IpRange.parse("10.0.0.1/24"))).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, node::start);
        assertEquals("-Dvpncloud.datapath.warmup=maybe: must be true, false or a number of packets from 1 to 1000000",
                e.getMessage());
    }
}
