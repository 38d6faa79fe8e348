package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.api.DeviceType;
import io.vpncloud.api.IpRange;
import io.vpncloud.api.TunDeviceConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real TAP devices: the kernel answers ARP and ping written to the device as Ethernet frames, and 802.1Q-tagged
 * frames pass unchanged. The devices live in a network namespace of the test's own. Needs root and
 * /dev/net/tun, skipped otherwise. Uses only 10.200.220.0/24 and 10.200.222.0/24.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LinuxTapDeviceTest {

    private static final int MTU = 1400;
    private static final byte[] DEVICE_IP = {10, (byte) 200, (byte) 220, 1};
    private static final byte[] PEER_IP = {10, (byte) 200, (byte) 220, 2};
    /** A locally administered unicast MAC standing for the host on the far side of the device. */
    private static final byte[] PEER_MAC = EthernetFrames.mac("02:00:5e:10:20:30");
    private static final Pattern LINK_ADDRESS = Pattern.compile("link/ether ([0-9a-f:]{17})");

    private final String namespace = RealTun.uniqueName("tapdev-");
    private final List<LinuxTunDevice> opened = new ArrayList<>();

    @BeforeEach
    void requireRealTun() throws Exception {
        RealTun.assumeAvailable();
        RealTun.run("ip", "netns", "add", namespace);
        inNamespace("sysctl", "-q", "-w", "net.ipv4.conf.all.arp_ignore=1");
        // No IPv6 router solicitations or MLD reports among the frames the tests read.
        inNamespace("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        inNamespace("sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
    }

    @AfterEach
    void cleanUp() throws Exception {
        opened.forEach(LinuxTunDevice::close);
        if (RealTun.run("ip", "netns", "list").contains(namespace)) {
            RealTun.run("ip", "netns", "del", namespace);
        }
    }

    @Test
    void tapDeviceIsAnEthernetInterfaceWithAddressMtuAndUpFlag() throws Exception {
        IpRange address = IpRange.parse("10.200.222.1/24");
        LinuxTunDevice device = open(new TunDeviceConfig("vjtap%d", Optional.of(address), 1300, false, false)
                .withType(DeviceType.TAP));

        assertEquals(DeviceType.TAP, device.type());
        assertTrue(Pattern.matches("vjtap\\d+", device.name()), device.name());
        // ARPHRD_ETHER, where a TUN device says ARPHRD_NONE (65534); tun_flags: IFF_TAP | IFF_NO_PI.
        assertEquals("1", RealTun.sysfs(device.name(), "type"));
        assertEquals("0x1002", RealTun.sysfs(device.name(), "tun_flags"));
        assertEquals("1300", RealTun.sysfs(device.name(), "mtu"));
        assertEquals(1300, device.mtu());
        assertEquals(Optional.of(address), device.address());
        String json = RealTun.run("ip", "-j", "link", "show", "dev", device.name());
        assertTrue(Pattern.compile("\"flags\":\\[[^]]*\"UP\"").matcher(json).find(), json);
    }

    @Test
    void defaultMtuLeavesRoomForTheEthernetHeader() throws Exception {
        LinuxTunDevice device = open(new TunDeviceConfig("vjtap%d", Optional.empty(), 0, false, false)
                .withType(DeviceType.TAP));

        String route = RealTun.run("ip", "-4", "-o", "route", "show", "default");
        Matcher dev = Pattern.compile("\\bdev (\\S+)").matcher(route);
        int expected = dev.find() ? Integer.parseInt(RealTun.sysfs(dev.group(1), "mtu")) - 73 - 14 : 1413;
        assertEquals(expected, device.mtu());
        assertEquals(String.valueOf(expected), RealTun.sysfs(device.name(), "mtu"));
    }

    @Test
    void readNeedsRoomForATaggedFrameOfTheMtu() throws Exception {
        LinuxTunDevice device = open(new TunDeviceConfig("vjtap%d", Optional.empty(), MTU, false, false)
                .withType(DeviceType.TAP));

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> device.read(ByteBuffer.allocateDirect(MTU + 17)));
        assertTrue(error.getMessage().contains("MTU + 18 (" + (MTU + 18) + " bytes)"), error.getMessage());
    }

    @Test
    void tapOnAnExistingTunDeviceNameIsRefusedAsInUse() throws Exception {
        LinuxTunDevice tun = open(new TunDeviceConfig("vjtun%d", Optional.empty(), MTU, false, false));

        TunDeviceException error = assertThrows(TunDeviceException.class, () -> open(
                new TunDeviceConfig(tun.name(), Optional.empty(), MTU, false, false).withType(DeviceType.TAP)));

        assertEquals(TunDeviceException.Reason.NAME_IN_USE, error.reason());
        assertTrue(error.getMessage().contains("not a TAP device"), error.getMessage());
    }

    @ParameterizedTest(name = "offload {0}")
    @ValueSource(booleans = {false, true})
    void kernelAnswersAnArpRequestWithTheDeviceMac(boolean offload) throws Exception {
        LinuxTunDevice device = deviceInNamespace(true, offload);
        byte[] deviceMac = macOf(device);

        device.write(ByteBuffer.wrap(EthernetFrames.arpRequest(PEER_MAC, PEER_IP, DEVICE_IP)));

        Received<EthernetFrames.Arp> reply = readUntil(device, frame -> {
            EthernetFrames.Arp arp = EthernetFrames.parseArp(frame);
            return arp != null && arp.operation() == 2 ? arp : null;
        });
        EthernetFrames.Arp arp = reply.value();
        assertArrayEquals(PEER_MAC, EthernetFrames.destination(reply.frame()));
        assertArrayEquals(deviceMac, EthernetFrames.source(reply.frame()));
        assertArrayEquals(deviceMac, arp.senderMac());
        assertArrayEquals(DEVICE_IP, arp.senderIp());
        assertArrayEquals(PEER_MAC, arp.targetMac());
        assertArrayEquals(PEER_IP, arp.targetIp());
    }

    @ParameterizedTest(name = "offload {0}")
    @ValueSource(booleans = {false, true})
    void kernelAnswersAnEchoRequestFrameWithAnEchoReplyFrame(boolean offload) throws Exception {
        LinuxTunDevice device = deviceInNamespace(true, offload);
        byte[] deviceMac = macOf(device);
        inNamespace("ip", "neigh", "replace", "10.200.220.2", "lladdr", "02:00:5e:10:20:30", "dev", device.name());
        byte[] payload = "ping through a TAP device".getBytes(StandardCharsets.US_ASCII);

        device.write(ByteBuffer.wrap(EthernetFrames.echoRequest(deviceMac, PEER_MAC, PEER_IP, DEVICE_IP, 0x7a9,
                3, payload)));

        Received<EthernetFrames.Echo> reply = readUntil(device, frame -> {
            EthernetFrames.Echo echo = EthernetFrames.parseEcho(frame);
            return echo != null && echo.type() == 0 ? echo : null;
        });
        assertArrayEquals(PEER_MAC, EthernetFrames.destination(reply.frame()));
        assertArrayEquals(deviceMac, EthernetFrames.source(reply.frame()));
        assertArrayEquals(DEVICE_IP, reply.value().sourceIp());
        assertArrayEquals(PEER_IP, reply.value().destinationIp());
        assertEquals(0x7a9, reply.value().identifier());
        assertEquals(3, reply.value().sequence());
        assertArrayEquals(payload, reply.value().payload());
    }

    /**
     * Two TAP devices as ports of a Linux bridge (which forwards 802.1Q frames as they are): a tagged frame
     * carrying an IP packet of the full MTU, written to one, comes out of the other unchanged, into a buffer of
     * exactly MTU + 18 bytes.
     */
    @ParameterizedTest(name = "offload {0}")
    @ValueSource(booleans = {false, true})
    void taggedFrameOfTheFullMtuPassesUnchanged(boolean offload) throws Exception {
        LinuxTunDevice in = deviceInNamespace(false, offload);
        LinuxTunDevice out = deviceInNamespace(false, offload);
        inNamespace("ip", "link", "add", "vjbr0", "type", "bridge", "stp_state", "0", "forward_delay", "0");
        for (LinuxTunDevice port : List.of(in, out)) {
            inNamespace("ip", "link", "set", "dev", port.name(), "master", "vjbr0");
        }
        inNamespace("ip", "link", "set", "dev", "vjbr0", "up");
        for (LinuxTunDevice port : List.of(in, out)) {
            awaitForwarding(port.name());
        }
        byte[] payload = new byte[MTU - 28];
        Arrays.fill(payload, (byte) 0x5a);
        byte[] frame = EthernetFrames.tagged(EthernetFrames.echoRequest(EthernetFrames.mac("02:00:5e:00:00:99"),
                PEER_MAC, PEER_IP, new byte[] {10, (byte) 200, (byte) 220, 99}, 1, 1, payload), 5);
        assertEquals(MTU + 18, frame.length);

        in.write(ByteBuffer.wrap(frame));

        ByteBuffer buffer = ByteBuffer.allocateDirect(MTU + 18);
        byte[] received;
        do {
            int length = out.read(buffer.clear());
            received = new byte[length];
            buffer.flip().get(received);
        } while (EthernetFrames.etherType(received) != EthernetFrames.ETHERTYPE_VLAN);
        assertArrayEquals(frame, received);
    }

    /** A frame read and what the test saw in it. */
    private record Received<T>(byte[] frame, T value) {
    }

    /**
     * A TAP device (with TCP offloads, which the kernel must grant, if asked) moved into the test's namespace and
     * up there, with 10.200.220.1/24 if asked.
     */
    private LinuxTunDevice deviceInNamespace(boolean withAddress, boolean offload) throws Exception {
        LinuxTunDevice device = open(new TunDeviceConfig(RealTun.uniqueName("vjtap"), Optional.empty(), MTU, false,
                offload).withType(DeviceType.TAP));
        assertEquals(offload, device.offload(), "TCP offloads on the TAP device");
        RealTun.run("ip", "link", "set", "dev", device.name(), "netns", namespace);
        if (withAddress) {
            inNamespace("ip", "addr", "add", "10.200.220.1/24", "dev", device.name());
        }
        inNamespace("ip", "link", "set", "dev", device.name(), "up");
        return device;
    }

    private LinuxTunDevice open(TunDeviceConfig config) throws TunDeviceException {
        LinuxTunDevice device = LinuxTunDevice.open(config);
        opened.add(device);
        return device;
    }

    /** The device's MAC address as the kernel reports it (the kernel gives a TAP device a random one). */
    private byte[] macOf(LinuxTunDevice device) throws Exception {
        String link = inNamespace("ip", "link", "show", "dev", device.name());
        Matcher matcher = LINK_ADDRESS.matcher(link);
        assertTrue(matcher.find(), link);
        return EthernetFrames.mac(matcher.group(1));
    }

    /** Reads frames until {@code match} sees what it looks for (other traffic, such as IGMP, is skipped). */
    private static <T> Received<T> readUntil(LinuxTunDevice device, Function<byte[], T> match) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(MTU + 18);
        for (int i = 0; i < 100; i++) {
            int length = device.read(buffer.clear());
            byte[] frame = new byte[length];
            buffer.flip().get(frame);
            T value = match.apply(frame);
            if (value != null) {
                return new Received<>(frame, value);
            }
        }
        throw new AssertionError("not found in 100 frames read from " + device.name());
    }

    /** Waits, by watching the port state, until the bridge forwards through the port (the test's timeout ends it). */
    private void awaitForwarding(String port) throws Exception {
        while (!inNamespace("bridge", "link", "show", "dev", port).contains("state forwarding")) {
            Thread.onSpinWait();
        }
    }

    private String inNamespace(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return RealTun.run(full.toArray(String[]::new));
    }
}
