package io.vpncloud.cli.system;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * TAP mode with the {@code vpncloud} command on real TAP devices: the overlay is one Ethernet segment. Three nodes
 * with their overlay addresses on their TAP devices resolve each other's addresses by ARP across the overlay and
 * ping each other; a TAP device in a Linux bridge carries the traffic of a host behind it that runs no vpncloud;
 * and two servers with the same MAC address and IP address, both claiming the MAC address, fail over as in TUN mode.
 * In every namespace the overlay range is unreachable except through the overlay device, so nothing can take the
 * underlay.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TapModeIT {
    private static final String OVERLAY = "10.0.0.0/24";
    private static final String DEVICE = "tap0";
    /** {@code /sys/class/net/DEV/type} of an Ethernet device (ARPHRD_ETHER); a TUN device has 65534. */
    private static final String ETHERNET_LINK_TYPE = "1";

    @BeforeEach
    void requireRootAndTun() {
        SystemTestEnvironment.assumeUsable();
    }

    @Test
    void threeNodesResolveEachOtherByArpAndPingAcrossTheOverlay() throws Exception {
        Map<String, String> addresses = Map.of("tap-a", "10.0.0.1", "tap-b", "10.0.0.2", "tap-c", "10.0.0.3");
        try (VpnTestbed testbed = VpnTestbed.create("tap-three-nodes", List.of("tap-a", "tap-b", "tap-c"))) {
            addresses.keySet().forEach(node -> testbed.isolateOverlay(node, OVERLAY));
            testbed.startNode("tap-a", tapOptions("--ip", "10.0.0.1/24"));
            testbed.startNode("tap-b", tapOptions("--ip", "10.0.0.2/24", "-c", "tap-a"));
            testbed.startNode("tap-c", tapOptions("--ip", "10.0.0.3/24", "-c", "tap-a", "-c", "tap-b"));

            for (String from : addresses.keySet()) {
                for (String to : addresses.keySet()) {
                    if (!to.equals(from)) {
                        testbed.awaitPing(from, addresses.get(to));
                        // The answer came through the overlay at the MAC address of the other node's TAP device.
                        assertEquals(linkFile(testbed, to, DEVICE, "address"),
                                neighbourMac(testbed, from, addresses.get(to), DEVICE),
                                () -> from + " resolved " + to + " by ARP\n" + testbed.diagnostics());
                    }
                }
                assertEquals(ETHERNET_LINK_TYPE, linkFile(testbed, from, DEVICE, "type"),
                        () -> "--type tap opens an Ethernet device on " + from + "\n" + testbed.diagnostics());
            }
        }
    }

    @Test
    void aHostBehindABridgedTapDeviceIsReachedThroughTheOverlay() throws Exception {
        try (VpnTestbed testbed = VpnTestbed.create("tap-bridge", List.of("tap-a", "tap-b", "lan-host"))) {
            for (String node : List.of("tap-a", "tap-b", "lan-host")) {
                testbed.isolateOverlay(node, OVERLAY);
            }
            // The host behind tap-a runs no vpncloud and has no underlay: only a veth to tap-a's bridge.
            testbed.runOrFail("lan-host", "ip", "link", "set", "veth0", "down");
            testbed.runOrFail("tap-a", "ip", "link", "add", "lan0", "type", "veth", "peer", "name", "lan0",
                    "netns", testbed.namespace("lan-host"));
            testbed.runOrFail("lan-host", "ip", "addr", "add", "10.0.0.200/24", "dev", "lan0");
            testbed.runOrFail("lan-host", "ip", "link", "set", "lan0", "up");
            // As an operator would: the TAP device and the LAN port in one bridge, which has tap-a's own address.
            String bridge = "ip link add br-lan type bridge && ip link set $IFNAME master br-lan"
                    + " && ip link set $IFNAME up && ip link set lan0 master br-lan && ip link set lan0 up"
                    + " && ip addr add 10.0.0.1/24 dev br-lan && ip link set br-lan up";
            testbed.startNode("tap-a", tapOptions("--ifup", bridge));
            testbed.startNode("tap-b", tapOptions("--ip", "10.0.0.2/24", "-c", "tap-a"));

            testbed.awaitPing("tap-b", "10.0.0.200");
            testbed.awaitPing("lan-host", "10.0.0.2");
            testbed.awaitPing("tap-b", "10.0.0.1");
            // Bridged, not routed: tap-b knows the host by the MAC address of the host's own interface.
            assertEquals(linkFile(testbed, "lan-host", "lan0", "address"),
                    neighbourMac(testbed, "tap-b", "10.0.0.200", DEVICE),
                    () -> "tap-b resolved the host behind tap-a by ARP\n" + testbed.diagnostics());
            assertEquals(linkFile(testbed, "tap-b", DEVICE, "address"),
                    neighbourMac(testbed, "lan-host", "10.0.0.2", "lan0"),
                    () -> "the host behind tap-a resolved tap-b by ARP\n" + testbed.diagnostics());
        }
    }

    @Test
    void twoServersWithOneClaimedMacAddressFailOverOnACrash() throws Exception {
        String sharedMac = "02:00:0a:00:00:01";
        String sharedIp = "10.0.0.1";
        List<String> servers = List.of("tap-s1", "tap-s2");
        try (VpnTestbed testbed = VpnTestbed.create("tap-ha", List.of("tap-s1", "tap-s2", "tap-client"))) {
            for (String node : List.of("tap-s1", "tap-s2", "tap-client")) {
                testbed.isolateOverlay(node, OVERLAY);
            }
            String sameMac = "ip link set dev $IFNAME address " + sharedMac;
            Map<String, BackgroundProcess> nodes = Map.of(
                    "tap-s1", testbed.startNode("tap-s1", tapOptions("--ip", sharedIp + "/24", "--claim",
                            sharedMac + "/48", "--ifup", sameMac, "-c", "tap-s2")),
                    "tap-s2", testbed.startNode("tap-s2", tapOptions("--ip", sharedIp + "/24", "--claim",
                            sharedMac + "/48", "--ifup", sameMac, "-c", "tap-s1")));
            for (String server : servers) {
                testbed.startHostnameServer(server);
            }
            testbed.startNode("tap-client", tapOptions("--ip", "10.0.0.100/24", "-c", "tap-s1", "-c", "tap-s2"));

            testbed.awaitPing("tap-client", sharedIp);
            assertEquals(sharedMac, neighbourMac(testbed, "tap-client", sharedIp, DEVICE),
                    () -> "the servers answer ARP with the shared MAC address\n" + testbed.diagnostics());
            HostnameProbe probe = testbed.hostnameProbe("tap-client", sharedIp);
            String active = probe.awaitAnswer("either server", servers::contains, System.nanoTime(),
                    VpnTestbed.ANSWER_LIMIT).name();
            String standby = active.equals("tap-s1") ? "tap-s2" : "tap-s1";
            testbed.awaitConnection("tap-client", standby, 1);
            probe.assertAlwaysAnsweredBy(active, 6, "both servers claimed " + sharedMac);

            long crash = System.nanoTime();
            assertEquals(128 + 9, nodes.get(active).kill(), () -> "SIGKILL ends the JVM\n" + testbed.diagnostics());
            probe.assertAnsweredWithin(standby, crash, VpnTestbed.CRASH_FAILOVER_LIMIT, "kill -9 of " + active);
        }
    }

    /** A TAP device named {@code tap0}, and the node's own options. */
    private static String[] tapOptions(String... options) {
        List<String> all = new ArrayList<>(List.of("--type", "tap", "-d", DEVICE));
        all.addAll(List.of(options));
        return all.toArray(String[]::new);
    }

    /** A file of {@code /sys/class/net/DEVICE/} in the node's namespace, such as {@code address} or {@code type}. */
    private static String linkFile(VpnTestbed testbed, String node, String device, String file) {
        return testbed.runOrFail(node, "cat", "/sys/class/net/" + device + "/" + file).firstLine();
    }

    /** The MAC address the node's neighbour table holds for {@code address} on {@code device}. */
    private static String neighbourMac(VpnTestbed testbed, String node, String address, String device) {
        String entry = testbed.runOrFail(node, "ip", "neigh", "show", address, "dev", device).firstLine();
        // "10.0.0.2 lladdr aa:bb:cc:dd:ee:ff REACHABLE"
        String[] words = entry.split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("lladdr")) {
                return words[i + 1];
            }
        }
        throw new AssertionError("no MAC address for " + address + " on " + node + ": '" + entry + "'");
    }
}
