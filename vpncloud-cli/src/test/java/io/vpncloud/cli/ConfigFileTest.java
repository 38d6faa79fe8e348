package io.vpncloud.cli;

import io.vpncloud.api.DeviceType;
import io.vpncloud.api.IpRange;
import io.vpncloud.core.ForwardingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigFileTest {

    private static final String PUB_A = "BKjSRllQbxo8m6ooLv7WvOphbbq8WJsYzt55OS4UQWd";
    private static final String PUB_B = "de1Trtvx1tFUohMy33gPUxMRJ0jIAd0H71aMLUPkMEt";

    /** The reference's own config file test. */
    private static final String REFERENCE_STYLE = """
            device:
              type: tun
              name: vpncloud%d
              path: /dev/net/tun
            ip: 10.0.1.1/16
            advertise-addresses:
              - 192.168.0.1
              - 192.168.1.1
            ifup: ifconfig $IFNAME 10.0.1.1/16 mtu 1400 up
            ifdown: 'true'
            peers:
              - remote.machine.foo:3210
              - remote.machine.bar:3210
            peer-timeout: 600
            keepalive: 240
            mode: normal
            switch-timeout: 300
            beacon:
              store: /run/vpncloud.beacon.out
              load: /run/vpncloud.beacon.in
              interval: 3600
              password: test123
            claims:
              - 10.0.1.0/24
            port-forwarding: true
            user: nobody
            group: nogroup
            pid-file: /run/vpncloud.run
            stats-file: /var/log/vpncloud.stats
            statsd:
              server: example.com:1234
              prefix: prefix
            crypto:
              password: mysecret
            """;

    /**
     * A stock config file as the reference's template has it: {@code ~} (YAML null) for every setting left at its
     * default, in every section.
     */
    private static final String STOCK_TEMPLATE = """
            listen: 3210
            peers:
              - node2.example.com:3210
            crypto:
              password: ~
              private-key: ~
              public-key: ~
              trusted-keys: []
              algorithms: ~
            ip: ~
            auto-claim: true
            claims:
            ifup: ~
            ifdown: ~
            device:
              name: "vpncloud%d"
              type: tun
              path: "/dev/net/tun"
              fix-rp-filter: false
            mode: normal
            port-forwarding: true
            switch-timeout: 300
            peer-timeout: 300
            keepalive: ~
            beacon:
              store: ~
              load: ~
              interval: 3600
              password: ~
            statsd:
              server: ~
              prefix: ~
            pid-file: ~
            stats-file: ~
            user: ~
            group: ~
            hook: ~
            hooks: {}
            """;

    @Test
    void readsTheReferenceFormat(@TempDir Path dir) throws Exception {
        Path file = write(dir, REFERENCE_STYLE);
        CliConfig config = CommandLineOptionsTest.run("--config", file.toString());
        assertEquals("vpncloud%d", config.device().name());
        assertEquals(Optional.of(IpRange.parse("10.0.1.1/16")), config.device().ip());
        assertEquals(List.of("192.168.0.1:3210", "192.168.1.1:3210"), config.advertiseAddresses());
        assertEquals(Optional.of("ifconfig $IFNAME 10.0.1.1/16 mtu 1400 up"), config.device().ifup());
        assertEquals(Optional.of("true"), config.device().ifdown());
        assertEquals(List.of("remote.machine.foo:3210", "remote.machine.bar:3210"), config.peers());
        assertEquals(Duration.ofSeconds(600), config.peerTimeout());
        assertEquals(Optional.of(Duration.ofSeconds(240)), config.keepalive());
        assertEquals(List.of(IpRange.parse("10.0.1.0/24")), config.claims());
        assertEquals(Optional.of(Path.of("/run/vpncloud.run")), config.pidFile());
        assertEquals(Optional.of(Path.of("/var/log/vpncloud.stats")), config.statsFile());
        assertEquals(Optional.of("mysecret"), config.crypto().password());
        assertEquals(1, config.warnings().size(), "port-forwarding: true is not implemented");
        assertEquals(Optional.of("/run/vpncloud.beacon.out"), config.beacon().store());
        assertEquals(Optional.of("/run/vpncloud.beacon.in"), config.beacon().load());
        assertEquals(Duration.ofHours(1), config.beacon().interval());
        assertEquals(Optional.of("test123"), config.beacon().password());
        assertEquals(Optional.of(new CliConfig.Statsd("example.com:1234", "prefix")), config.statsd());
        assertEquals("nobody", config.user().orElseThrow().name());
        assertEquals("nogroup", config.group().orElseThrow().name());
        assertEquals(DeviceType.TUN, config.device().type());
        assertEquals(ForwardingMode.NORMAL, config.mode());
        assertEquals(Duration.ofSeconds(300), config.switchTimeout());
    }

    @Test
    void tapModeFromTheFile(@TempDir Path dir) throws Exception {
        Path file = write(dir, """
                device: { type: tap, name: tap7 }
                crypto: { password: x }
                ip: 10.0.0.1/24
                mode: hub
                switch-timeout: 30
                auto-claim: true
                claims: [ aa:bb:cc:dd:ee:ff/48, vlan7/aa:bb:cc:dd:ee:ff/64 ]
                """);
        CliConfig config = CommandLineOptionsTest.run("--config", file.toString());
        assertEquals(DeviceType.TAP, config.device().type());
        assertEquals("tap7", config.device().name());
        assertEquals(Optional.of(IpRange.parse("10.0.0.1/24")), config.device().ip());
        assertEquals(ForwardingMode.HUB, config.mode());
        assertEquals(Duration.ofSeconds(30), config.switchTimeout());
        assertFalse(config.autoClaim(), "a TAP device's address is never claimed");
        assertEquals(List.of(IpRange.parse("aa:bb:cc:dd:ee:ff/48"), IpRange.parse("vlan7/aa:bb:cc:dd:ee:ff/64")),
                config.claims());
        CliConfig overridden = CommandLineOptionsTest.run("--config", file.toString(), "-t", "tun", "-m", "router",
                "--switch-timeout", "1m");
        assertEquals(DeviceType.TUN, overridden.device().type());
        assertEquals(ForwardingMode.ROUTER, overridden.mode());
        assertEquals(Duration.ofMinutes(1), overridden.switchTimeout());
        assertTrue(overridden.autoClaim());
    }

    @Test
    void tildeAndNullMeanUnsetForEveryKey(@TempDir Path dir) throws Exception {
        Path file = write(dir, STOCK_TEMPLATE);
        CliConfig config = CommandLineOptionsTest.run("--config", file.toString(), "-p", "pw");
        assertEquals("3210", config.listen());
        assertEquals(List.of("node2.example.com:3210"), config.peers());
        assertEquals(Optional.empty(), config.keepalive());
        assertEquals(Optional.empty(), config.device().ip());
        assertEquals(Optional.empty(), config.device().ifup());
        assertEquals(List.of(), config.claims());
        assertEquals(List.of(), config.crypto().trustedKeys());
        assertEquals(Optional.empty(), config.pidFile());
        assertEquals(Optional.empty(), config.statsd());
        assertFalse(config.beacon().enabled());
        assertEquals(Optional.empty(), config.user());
        assertFalse(config.hooks().any());
        // The same with every other spelling of YAML's null, nested too.
        ConfigLayer layer = ConfigFile.parse("""
                keepalive: null
                listen: Null
                mode: NULL
                claims: [ ~ ]
                crypto: { private-key: }
                hooks: { peer_connected: ~ }
                device: ~
                """, "nulls.yml");
        assertEquals(null, layer.keepalive);
        assertEquals(null, layer.listen);
        assertEquals(null, layer.privateKey);
        assertTrue(layer.claims.isEmpty());
        assertTrue(layer.hooks.isEmpty());
    }

    @Test
    void everyProblemOfAFileIsReportedAtOnceWithItsLine() {
        UsageException e = assertThrows(UsageException.class, () -> ConfigFile.parse("""
                listen: 3210
                keepalive: soon
                crypto:
                  password: pw
                  private-key: abc
                colour: blue
                beacon:
                  interval: -1
                listen: 3211
                """, "net.yml"));
        assertEquals(List.of(
                "net.yml:2: keepalive: not a duration: 'soon' (use seconds such as 300 or 0.5, or 500ms, 2s, 5m, 1h)",
                "net.yml:5: crypto.private-key: is too short for a 32-byte key: the given text (3 base62 digits)",
                "net.yml:6: unknown key 'colour'",
                "net.yml:8: beacon.interval: must be a positive duration, not '-1'",
                "net.yml:9: listen: given twice"), e.getMessage().lines().toList());
    }

    @Test
    void commandLineOverridesTheFileAndAddsToItsLists(@TempDir Path dir) throws Exception {
        Path file = write(dir, """
                listen: 3211
                peers: [ a:1 ]
                claims: [ 10.0.1.0/24 ]
                peer-timeout: 600
                auto-claim: true
                crypto:
                  password: filepw
                  trusted-keys: [ %s ]
                  algorithms: [ aes256 ]
                hook: echo file
                hooks:
                  vpn_started: echo started
                """.formatted(PUB_A));
        CliConfig config = CommandLineOptionsTest.run("--config", file.toString(), "-l", "4000", "-c", "b:2",
                "--claim", "10.0.2.0/24", "--peer-timeout", "0.5", "--no-auto-claim", "-p", "argpw",
                "--trusted-key", PUB_B, "--algorithm", "chacha20", "--hook", "vpn_shutdown:echo bye");
        assertEquals("4000", config.listen());
        assertEquals(List.of("a:1", "b:2"), config.peers());
        assertEquals(List.of(IpRange.parse("10.0.1.0/24"), IpRange.parse("10.0.2.0/24")), config.claims());
        assertEquals(Duration.ofMillis(500), config.peerTimeout());
        assertFalse(config.autoClaim());
        assertEquals(Optional.of("argpw"), config.crypto().password());
        assertEquals(List.of(PUB_A, PUB_B), config.crypto().trustedKeys());
        assertEquals(List.of("chacha20"), config.crypto().algorithms(), "algorithms on the command line replace");
        assertEquals(Optional.of("echo started"), config.hooks().scriptFor("vpn_started"));
        assertEquals(Optional.of("echo bye"), config.hooks().scriptFor("vpn_shutdown"));
        assertEquals(Optional.of("echo file"), config.hooks().scriptFor("peer_connected"));
    }

    @Test
    void fileAloneKeepsItsValues(@TempDir Path dir) throws Exception {
        Path file = write(dir, """
                device: { name: tun7, fix-rp-filter: true, offload: false }
                crypto: { private-key: gl7NxDMlseGFwPinpMcAmi4zwJWFV9WqqfDld3Tz2Lg, public-key: %s,
                          algorithms: [ aes128, plain ] }
                listen: "[::]:3212"
                keepalive: 500ms
                peer-timeout: 2
                """.formatted(PUB_A));
        CliConfig config = CommandLineOptionsTest.run("--config=" + file);
        assertEquals("tun7", config.device().name());
        assertTrue(config.device().fixRpFilter());
        assertFalse(config.device().offload());
        assertEquals(Optional.of(PUB_A), config.crypto().publicKey());
        assertEquals(List.of("aes128", "plain"), config.crypto().algorithms());
        assertEquals("[::]:3212", config.listen());
        assertEquals(Optional.of(Duration.ofMillis(500)), config.keepalive());
    }

    @Test
    void spreadFlowsAndTheHealthCheckFromTheFile(@TempDir Path dir) throws Exception {
        Path file = write(dir, """
                crypto: { password: x }
                spread-flows: true
                health-check: systemctl is-active myservice
                health-interval: 2
                health-timeout: 500ms
                health-rise: 3
                health-fall: 2
                """);
        CliConfig config = CommandLineOptionsTest.run("--config", file.toString(), "--health-fall", "4");
        assertTrue(config.spreadFlows());
        assertEquals(Optional.of(new CliConfig.Health("systemctl is-active myservice", Duration.ofSeconds(2),
                Duration.ofMillis(500), 3, 4)), config.healthCheck(), "the command line wins over the file");
    }

    @Test
    void emptyFileIsNoSettings() throws UsageException {
        ConfigLayer layer = ConfigFile.parse("# nothing\n", "empty.yml");
        assertEquals(null, layer.password);
        assertTrue(layer.peers.isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "bogus: 1|unknown key 'bogus'",
            "device: { type: tan }|device.type",
            "device: { color: red }|unknown key 'device.color'",
            "device: { path: /dev/tap0 }|device.path",
            "crypto: { pass: x }|unknown key 'crypto.pass'",
            "crypto: { private-key: '!!' }|crypto.private-key",
            "crypto: { algorithms: [ rot13 ] }|crypto.algorithms",
            "peer-timeout: -3|peer-timeout",
            "peer-timeout: [1]|peer-timeout",
            "auto-claim: maybe|auto-claim",
            "claims: [ 10.0.0.0/40 ]|claims",
            "ip: 10.0.0.256|ip",
            "mode: bridge|mode",
            "switch-timeout: 100000|switch-timeout",
            "claims: [ aa:bb:cc:dd:ee:ff/49 ]|claims",
            "listen: x|listen",
            "beacon: { interval: soon }|beacon.interval",
            "beacon: { colour: x }|unknown key 'beacon.colour'",
            "statsd: { server: x }|statsd.server",
            "statsd: { server: [ a ] }|statsd.server",
            "user: vcst-no-such-user|user",
            "group: vcst-no-such-group|group",
            "switch-timeout: -1|switch-timeout",
            "crypto: { trusted-keys: [ zzz ] }|crypto.trusted-keys",
            "hooks: { started: x }|hooks.started",
            "spread-flows: often|spread-flows",
            "health-check: ''|health-check",
            "health-rise: 0|health-rise",
            "health-fall: x|health-fall",
            "health-interval: soon|health-interval",
            "device: 3|device",
            "[1, 2]|the top level",
            "'a: [1'|not valid YAML"})
    void errorsNameTheFileAndKey(String yaml, String named) {
        UsageException e = assertThrows(UsageException.class, () -> ConfigFile.parse(yaml, "test.yml"));
        assertTrue(e.getMessage().startsWith("test.yml:1: ") || e.getMessage().startsWith("test.yml: not valid YAML"),
                e.getMessage());
        assertTrue(e.getMessage().contains(named), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void missingFileIsAUsageError(@TempDir Path dir) {
        UsageException e = assertThrows(UsageException.class, () -> CommandLineOptions.parse(
                List.of("--config", dir.resolve("missing.yml").toString()), Map.of()));
        assertEquals("--config: cannot read " + dir.resolve("missing.yml") + ": no such file", e.getMessage());
        UsageException directory = assertThrows(UsageException.class, () -> CommandLineOptions.parse(
                List.of("--config", dir.toString()), Map.of()));
        assertEquals("--config: cannot read " + dir + ": it is a directory", directory.getMessage());
    }

    private static Path write(Path dir, String yaml) throws IOException {
        return Files.writeString(dir.resolve("config.yml"), yaml);
    }
}
