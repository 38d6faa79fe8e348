package io.vpncloud.cli;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.VpnEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HookRunnerTest {

    private static final NodeId NODE = NodeId.fromBytes(new byte[] {
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, (byte) 0xff});
    private static final NodeId OTHER = NodeId.fromBytes(new byte[16]);
    private static final String NODE_HEX = "000102030405060708090a0b0c0d0eff";

    @Test
    void peerConnectedHasTheReferenceVariables(@TempDir Path dir) throws Exception {
        PeerAddress peer = new PeerAddress(InetAddress.getByName("::ffff:192.0.2.7"), 3210);
        List<IpRange> claims = List.of(IpRange.parse("10.0.0.1/32"), IpRange.parse("10.0.1.0/24"));
        Map<String, String> env;
        try (HookRunner runner = runner(dumpEnvironment(dir), address -> address.equals(peer) ? claims : List.of())) {
            runner.onEvent(new VpnEvent.PeerConnected(peer, NODE));
        }
        env = EnvironmentDump.read(dir.resolve("peer_connected"));
        assertEquals("peer_connected", env.get("EVENT"));
        assertEquals("192.0.2.7:3210", env.get("PEER"));
        assertEquals(NODE_HEX, env.get("NODE_ID"));
        assertEquals("10.0.0.1/32 10.0.1.0/24", env.get("CLAIMS"));
        assertEquals("vpncloud7", env.get("IFNAME"));
    }

    @Test
    void everyEventRunsWithItsVariables(@TempDir Path dir) throws Exception {
        PeerAddress peer = new PeerAddress(InetAddress.getByName("192.0.2.8"), 4000);
        IpRange range = IpRange.parse("10.0.0.1/32");
        try (HookRunner runner = runner(dumpEnvironment(dir), address -> List.of())) {
            runner.onEvent(new VpnEvent.PeerDisconnected(peer, NODE, VpnEvent.DisconnectReason.TIMEOUT));
            runner.onEvent(new VpnEvent.RouteOwnerChanged(range, Optional.of(NODE), Optional.of(OTHER)));
            runner.onEvent(new VpnEvent.RoleChanged(range, VpnEvent.Role.STANDBY));
            runner.onEvent(new VpnEvent.ClaimsWithdrawn(List.of(range, IpRange.parse("10.0.1.0/24"))));
            runner.onEvent(new VpnEvent.ClaimsRestored(List.of(range)));
            runner.fire(HookEvent.VPN_STARTED, Map.of());
        }
        assertEquals("10.0.0.1/32 10.0.1.0/24", EnvironmentDump.read(dir.resolve("claims_withdrawn")).get("CLAIMS"));
        assertEquals("10.0.0.1/32", EnvironmentDump.read(dir.resolve("claims_restored")).get("CLAIMS"));
        Map<String, String> disconnected = EnvironmentDump.read(dir.resolve("peer_disconnected"));
        assertEquals("192.0.2.8:4000", disconnected.get("PEER"));
        assertEquals(NODE_HEX, disconnected.get("NODE_ID"));
        assertEquals("timeout", disconnected.get("REASON"));
        Map<String, String> route = EnvironmentDump.read(dir.resolve("route_changed"));
        assertEquals("10.0.0.1/32", route.get("RANGE"));
        assertEquals(NODE_HEX, route.get("OLD_NODE_ID"));
        assertEquals("00000000000000000000000000000000", route.get("NODE_ID"));
        Map<String, String> role = EnvironmentDump.read(dir.resolve("role_changed"));
        assertEquals("standby", role.get("ROLE"));
        Map<String, String> started = EnvironmentDump.read(dir.resolve("vpn_started"));
        assertEquals("vpn_started", started.get("EVENT"));
        assertEquals("vpncloud7", started.get("IFNAME"));
    }

    @Test
    void aScriptForOneEventWinsOverTheGeneralOne(@TempDir Path dir) throws Exception {
        Path general = dir.resolve("general");
        Path special = dir.resolve("special");
        CliConfig.Hooks hooks = new CliConfig.Hooks(Optional.of("echo $EVENT >> '" + general + "'"),
                Map.of("vpn_shutdown", "echo $EVENT >> '" + special + "'"));
        try (HookRunner runner = new HookRunner(hooks, () -> "tun0", address -> List.of())) {
            runner.fire(HookEvent.VPN_STARTED, Map.of());
            runner.fire(HookEvent.VPN_SHUTDOWN, Map.of());
        }
        assertEquals(List.of("vpn_started"), Files.readAllLines(general));
        assertEquals(List.of("vpn_shutdown"), Files.readAllLines(special));
    }

    @Test
    void withoutAScriptNothingRunsAndAFailingScriptIsOnlyLogged(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("ran");
        CliConfig.Hooks hooks = new CliConfig.Hooks(Optional.empty(),
                Map.of("vpn_started", "touch '" + marker + "'; exit 3"));
        try (HookRunner runner = new HookRunner(hooks, () -> "tun0", address -> List.of())) {
            runner.fire(HookEvent.VPN_SHUTDOWN, Map.of());
            runner.fire(HookEvent.VPN_STARTED, Map.of());
        }
        assertTrue(Files.exists(marker));
        assertFalse(Files.exists(dir.resolve("vpn_shutdown")));
    }

    @Test
    void firingAfterCloseIsIgnored() {
        HookRunner runner = new HookRunner(new CliConfig.Hooks(Optional.of("true"), Map.of()), () -> "x",
                address -> List.of());
        runner.close();
        runner.fire(HookEvent.VPN_STARTED, Map.of());
        assertEquals(HookEvent.PEER_DISCONNECTED, HookRunner.eventOf(new VpnEvent.PeerDisconnected(
                new PeerAddress(InetAddress.getLoopbackAddress(), 1), NODE, VpnEvent.DisconnectReason.CLOSED)));
    }

    /** A hook script that writes its whole environment to a file named after the event. */
    private static CliConfig.Hooks dumpEnvironment(Path dir) {
        return new CliConfig.Hooks(Optional.of("env > '" + dir + "'/$EVENT"), Map.of());
    }

    private static HookRunner runner(CliConfig.Hooks hooks,
                                     Function<PeerAddress, List<IpRange>> claims) {
        return new HookRunner(hooks, () -> "vpncloud7", claims);
    }
}
