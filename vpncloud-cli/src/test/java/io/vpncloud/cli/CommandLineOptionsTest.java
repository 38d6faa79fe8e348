package io.vpncloud.cli;

import io.vpncloud.api.DeviceType;
import io.vpncloud.api.IpRange;
import io.vpncloud.core.ForwardingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineOptionsTest {

    private static final String KEY_A = "gl7NxDMlseGFwPinpMcAmi4zwJWFV9WqqfDld3Tz2Lg";
    private static final String PUB_A = "BKjSRllQbxo8m6ooLv7WvOphbbq8WJsYzt55OS4UQWd";
    private static final String PUB_B = "de1Trtvx1tFUohMy33gPUxMRJ0jIAd0H71aMLUPkMEt";

    static CliConfig run(String... args) throws UsageException {
        return run(Map.of(), args);
    }

    static CliConfig run(Map<String, String> env, String... args) throws UsageException {
        CommandLineOptions.Command command = CommandLineOptions.parse(List.of(args), env);
        return assertInstanceOf(CommandLineOptions.Run.class, command).config();
    }

    static UsageException usageError(String... args) {
        return assertThrows(UsageException.class, () -> CommandLineOptions.parse(List.of(args), Map.of()));
    }

    static UsageException usageError(Map<String, String> env, String... args) {
        return assertThrows(UsageException.class, () -> CommandLineOptions.parse(List.of(args), env));
    }

    @Test
    void defaultsAreTheReferences() throws UsageException {
        CliConfig config = run("--password", "secret");
        assertEquals(Optional.of("secret"), config.crypto().password());
        assertEquals("3210", config.listen());
        assertEquals(Duration.ofSeconds(300), config.peerTimeout());
        assertEquals(Optional.empty(), config.keepalive());
        assertEquals("vpncloud%d", config.device().name());
        assertEquals(Optional.empty(), config.device().ip());
        assertTrue(config.autoClaim());
        assertFalse(config.daemon());
        assertFalse(config.device().fixRpFilter());
        assertTrue(config.device().offload());
        assertEquals(CliConfig.LogLevel.NORMAL, config.logLevel());
        assertEquals(List.of(), config.peers());
        assertEquals(List.of(), config.crypto().algorithms());
        assertEquals(DeviceType.TUN, config.device().type());
        assertEquals(ForwardingMode.NORMAL, config.mode());
        assertEquals(Duration.ofSeconds(300), config.switchTimeout());
        assertEquals(List.of(), config.warnings());
    }

    @Test
    void spreadingFlowsAndHealthChecksAreOffByDefault() throws UsageException {
        CliConfig config = run("--password", "secret");
        assertFalse(config.spreadFlows());
        assertEquals(Optional.empty(), config.healthCheck());
    }

    @Test
    void spreadFlowsAndAHealthCheckWithItsTimers() throws UsageException {
        CliConfig config = run("-p", "pw", "--spread-flows", "--health-check", "curl -sf http://127.0.0.1/",
                "--health-interval", "500ms", "--health-timeout=0.2", "--health-rise", "2", "--health-fall=3");
        assertTrue(config.spreadFlows());
        assertEquals(Optional.of(new CliConfig.Health("curl -sf http://127.0.0.1/", Duration.ofMillis(500),
                Duration.ofMillis(200), 2, 3)), config.healthCheck());
    }

    @Test
    void aHealthCheckAloneRunsEverySecondWithTheIntervalAsTimeoutAndOneResultDeciding() throws UsageException {
        assertEquals(Optional.of(new CliConfig.Health("test -e /run/ok", Duration.ofSeconds(1), Duration.ofSeconds(1),
                1, 1)), run("-p", "pw", "--health-check", "test -e /run/ok").healthCheck());
        assertEquals(Duration.ofSeconds(2), run("-p", "pw", "--health-check", "true", "--health-interval", "2")
                .healthCheck().orElseThrow().timeout());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--health-interval=2|--health-interval, --health-timeout, --health-rise and --health-fall need --health-check",
            "--health-check=true --health-rise=0|--health-rise: must be at least 1, not 0",
            "--health-check=true --health-fall=-1|--health-fall: must be at least 1, not -1",
            "--health-check=true --health-fall=two|--health-fall: not a whole number: 'two'",
            "--health-check=true --health-interval=0|--health-interval: must be a positive duration, not '0'",
            "--health-check=true --health-timeout=9600h|--health-timeout: is too long: PT9600H (at most PT8760H)",
            "--health-check= |--health-check: empty value",
            "--spread-flows=yes|--spread-flows takes no value"})
    void wrongHealthAndSpreadOptionsAreUsageErrorsNamingTheOption(String args, String message) {
        List<String> all = new java.util.ArrayList<>(List.of("-p", "pw"));
        all.addAll(List.of(args.split(" ")));
        assertEquals(message, usageError(all.toArray(String[]::new)).getMessage());
    }

    @Test
    void everyRunOptionLandsInTheConfig() throws UsageException {
        CliConfig config = run("-p", "pw", "--ip", "10.0.0.1", "--claim", "10.1.0.0/16", "--claim=10.2.0.0/16,10.3.0.1",
                "--no-auto-claim", "-c", "server-a:3211", "--peer", "server-b", "--connect=[fd00::1]:4000",
                "-l", "127.0.0.1:4001", "--peer-timeout", "500ms", "--keepalive", "0.1", "-t", "tun", "-d", "vpn0",
                "--mode", "normal", "--algorithm", "aes128", "--algo=chacha20,plain", "--trusted-key", PUB_A,
                "--trust", PUB_B, "--advertise-addresses", "192.0.2.1,192.0.2.2:5000", "--ifup", "echo up",
                "--ifdown", "echo down", "--hook", "echo any", "--hook", "peer_connected:echo one", "--daemon",
                "--pid-file", "/run/x.pid", "--stats-file", "/tmp/x.stats", "--log-file", "/tmp/x.log",
                "--fix-rp-filter", "--no-offload", "--no-port-forwarding", "-v", "--device-path", "/dev/net/tun");
        assertEquals(Optional.of(IpRange.parse("10.0.0.1/24")), config.device().ip());
        assertEquals(List.of(IpRange.parse("10.1.0.0/16"), IpRange.parse("10.2.0.0/16"), IpRange.parse("10.3.0.1/32")),
                config.claims());
        assertFalse(config.autoClaim());
        assertEquals(List.of("server-a:3211", "server-b:3210", "[fd00::1]:4000"), config.peers());
        assertEquals("127.0.0.1:4001", config.listen());
        assertEquals(Duration.ofMillis(500), config.peerTimeout());
        assertEquals(Optional.of(Duration.ofMillis(100)), config.keepalive());
        assertEquals("vpn0", config.device().name());
        assertEquals(List.of("aes128", "chacha20", "plain"), config.crypto().algorithms());
        assertEquals(List.of(PUB_A, PUB_B), config.crypto().trustedKeys());
        assertEquals(List.of("192.0.2.1:4001", "192.0.2.2:5000"), config.advertiseAddresses());
        assertEquals(Optional.of("echo up"), config.device().ifup());
        assertEquals(Optional.of("echo down"), config.device().ifdown());
        assertEquals(Optional.of("echo one"), config.hooks().scriptFor("peer_connected"));
        assertEquals(Optional.of("echo any"), config.hooks().scriptFor("vpn_started"));
        assertTrue(config.daemon());
        assertEquals(Optional.of(Path.of("/run/x.pid")), config.pidFile());
        assertEquals(Optional.of(Path.of("/tmp/x.stats")), config.statsFile());
        assertEquals(Optional.of(Path.of("/tmp/x.log")), config.logFile());
        assertTrue(config.device().fixRpFilter());
        assertFalse(config.device().offload());
        assertEquals(CliConfig.LogLevel.VERBOSE, config.logLevel());
    }

    @Test
    void privateAndPublicKey() throws UsageException {
        CliConfig config = run("--private-key", KEY_A, "--public-key", PUB_A);
        assertEquals(Optional.of(KEY_A), config.crypto().privateKey());
        assertEquals(Optional.of(PUB_A), config.crypto().publicKey());
        assertEquals(Optional.empty(), config.crypto().password());
        assertEquals(Optional.of(KEY_A), run("--key=" + KEY_A).crypto().privateKey());
    }

    @Test
    void quietLowersTheLogLevel() throws UsageException {
        assertEquals(CliConfig.LogLevel.QUIET, run("-p", "x", "-q").logLevel());
        assertEquals(CliConfig.LogLevel.QUIET, run("-p", "x", "--quiet").logLevel());
    }

    @ParameterizedTest
    @CsvSource({"normal, NORMAL", "router, ROUTER", "switch, SWITCH", "hub, HUB", "Switch, SWITCH", "' hub ', HUB"})
    void everyModeOfTheReference(String text, ForwardingMode mode) throws UsageException {
        assertEquals(mode, run("-p", "x", "-m", text).mode());
        assertEquals(mode, run("-p", "x", "--mode=" + text).mode());
    }

    @Test
    void tapModeWithMacClaimsAndASwitchTimeout() throws UsageException {
        CliConfig config = run("-p", "x", "-t", "tap", "--ip", "10.0.0.1/24", "--claim", "aa:bb:cc:dd:ee:ff/48",
                "--claim=vlan5/02:00:00:00:00:01/64", "--switch-timeout", "2m", "-m", "switch");
        assertEquals(DeviceType.TAP, config.device().type());
        assertEquals(Optional.of(IpRange.parse("10.0.0.1/24")), config.device().ip());
        assertEquals(List.of(IpRange.parse("aa:bb:cc:dd:ee:ff/48"), IpRange.parse("vlan5/02:00:00:00:00:01/64")),
                config.claims());
        assertEquals(Duration.ofMinutes(2), config.switchTimeout());
        assertEquals(ForwardingMode.SWITCH, config.mode());
        assertEquals(List.of(), config.warnings());
        assertEquals(DeviceType.TAP, run("-p", "x", "--type=TAP").device().type());
    }

    @Test
    void theInterfaceAddressOfATapDeviceIsNeverClaimed() throws UsageException {
        assertTrue(run("-p", "x", "--ip", "10.0.0.1").autoClaim(), "a TUN device's address is claimed");
        CliConfig tap = run("-p", "x", "--type", "tap", "--ip", "10.0.0.1");
        assertFalse(tap.autoClaim());
        assertEquals(List.of(), tap.claims());
        assertEquals(List.of(), tap.warnings(), "auto-claim was not asked for, so nothing to warn about");
    }

    @Test
    void claimsOfTheWrongKindForTheDeviceAreAcceptedWithAWarning() throws UsageException {
        assertEquals(List.of("claim aa:bb:cc:dd:ee:ff/48 has no effect with a TUN device, which carries IP packets"
                + " (use --type tap)"), run("-p", "x", "--claim", "aa:bb:cc:dd:ee:ff/48").warnings());
        assertEquals(List.of("claim 10.0.0.0/24 has no effect with a TAP device, whose frames are placed by MAC"
                + " address (claim aa:bb:cc:dd:ee:ff/48)"), run("-p", "x", "-t", "tap", "--claim", "10.0.0.0/24")
                .warnings());
    }

    @Test
    void passwordAndPrivateKeyFromTheEnvironmentWhenNotGiven() throws UsageException {
        assertEquals(Optional.of("envpw"), run(Map.of("PASSWORD", "envpw")).crypto().password());
        assertEquals(Optional.of(KEY_A), run(Map.of("PRIVATE_KEY", KEY_A)).crypto().privateKey());
        assertEquals(Optional.of("given"), run(Map.of("PASSWORD", "envpw"), "-p", "given").crypto().password());
        assertEquals(Optional.empty(), run(Map.of("PASSWORD", "envpw"), "--private-key", KEY_A).crypto().password());
    }

    @ParameterizedTest
    @CsvSource({
            "300, PT5M",
            "1, PT1S",
            "0.5, PT0.5S",
            "500ms, PT0.5S",
            "2s, PT2S",
            "1.5m, PT1M30S",
            "1h, PT1H",
            "0.001, PT0.001S",
            "' 10 ', PT10S"})
    void durations(String text, String iso) throws UsageException {
        assertEquals(Duration.parse(iso), run("-p", "x", "--peer-timeout", text).peerTimeout());
    }

    @ParameterizedTest
    @CsvSource({"0", "-1", "abc", "5x", "''", "ms"})
    void badDurationsNameTheOption(String text) {
        UsageException e = usageError("-p", "x", "--keepalive", text);
        assertTrue(e.getMessage().startsWith("--keepalive: "), e.getMessage());
    }

    @Test
    void genkeyWithAndWithoutPassword() throws UsageException {
        assertEquals(new CommandLineOptions.GenKey(Optional.of("pw")),
                CommandLineOptions.parse(List.of("genkey", "--password", "pw"), Map.of()));
        assertEquals(new CommandLineOptions.GenKey(Optional.of("pw")),
                CommandLineOptions.parse(List.of("gen-key", "-p", "pw"), Map.of()));
        assertEquals(new CommandLineOptions.GenKey(Optional.empty()),
                CommandLineOptions.parse(List.of("genkey"), Map.of()));
    }

    @Test
    void helpAndVersion() throws UsageException {
        assertInstanceOf(CommandLineOptions.Help.class, CommandLineOptions.parse(List.of("--help"), Map.of()));
        assertInstanceOf(CommandLineOptions.Help.class, CommandLineOptions.parse(List.of("-h"), Map.of()));
        assertInstanceOf(CommandLineOptions.Version.class, CommandLineOptions.parse(List.of("--version"), Map.of()));
        assertTrue(CommandLineOptions.usage().contains("--peer-timeout"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--bogus|--bogus",
            "-x|-x",
            "-t tan|-t",
            "--type=foo|--type",
            "--mode bridge|--mode",
            "-m=|-m",
            "--ip 10.0.0.300|--ip",
            "--ip 10.0.0.256/24|--ip",
            "--ip fd00::1|--ip",
            "--ip 10.0.0.1/33|--ip",
            "--claim 10.0.0.0/99|--claim",
            "--claim nonsense|--claim",
            "-c host:99999|-c",
            "--connect host:abc|--connect",
            "-l abc|-l",
            "--listen 70000|--listen",
            "--algorithm rot13|--algorithm",
            "--algo rot13|--algo",
            "--trusted-key not-base62!|--trusted-key",
            "--trusted-key zzz|--trusted-key",
            "--trust zzz|--trust",
            "--public-key ***|--public-key",
            "--public-key abc|--public-key",
            "--private-key abc|--private-key",
            "--key abc|--key",
            "--device-path /dev/tun0|--device-path",
            "-d abcdefghijklmnopq|-d",
            "--switch-timeout 0|--switch-timeout",
            "--switch-timeout 100000|--switch-timeout",
            "--claim aa:bb:cc:dd:ee:ff/49|--claim",
            "--claim vlan5000/aa:bb:cc:dd:ee:ff/64|--claim",
            "--beacon-store=|--beacon-store",
            "--beacon-load=|--beacon-load",
            "--beacon-interval soon|--beacon-interval",
            "--beacon-interval -1|--beacon-interval",
            "--statsd-server x|--statsd-server",
            "--statsd-server=:8125|--statsd-server",
            "--statsd-prefix=|--statsd-prefix",
            "--user vcst-no-such-user|--user",
            "--group vcst-no-such-group|--group",
            "--hook nosuchevent:echo|--hook",
            "--hook peer_connected:|--hook",
            "--daemon=yes|--daemon",
            "--peer-timeout|--peer-timeout",
            "unexpected|unexpected",
            "migrate-config|migrate-config",
            "genkey --bogus|--bogus"})
    void errorsNameTheOption(String args, String named) {
        List<String> argv = new java.util.ArrayList<>(List.of("-p", "x"));
        argv.addAll(List.of(args.split(" ")));
        UsageException e = assertThrows(UsageException.class, () -> CommandLineOptions.parse(argv, Map.of()));
        assertTrue(e.getMessage().contains(named), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void combinationErrors() {
        assertTrue(usageError().getMessage().contains("--password or --private-key is required"));
        assertTrue(usageError("-p", "x", "--private-key", KEY_A).getMessage().contains("exclude each other"));
        assertTrue(usageError("-p", "x", "-v", "-q").getMessage().contains("--verbose and --quiet"));
        assertTrue(usageError("-p", "x", "--public-key", PUB_A).getMessage().contains("--public-key needs"));
        assertTrue(usageError("-p", "x", "--peer-timeout", "1", "--keepalive", "2").getMessage()
                .startsWith("--keepalive"));
        assertTrue(usageError("-p", "x", "-l", "0", "--advertise-addresses", "192.0.2.1").getMessage()
                .startsWith("--advertise-addresses"));
        assertTrue(usageError("-p", "x", "--statsd-prefix", "net1").getMessage()
                .contains("--statsd-prefix needs --statsd-server"));
    }

    @Test
    void durationsInMessagesAreAsTyped() {
        assertEquals("--keepalive (20s) must be shorter than --peer-timeout (10s)",
                usageError("-p", "x", "--peer-timeout", "10s", "--keepalive", "20s").getMessage());
        assertEquals("--keepalive (400) must be shorter than --peer-timeout (300)",
                usageError("-p", "x", "--keepalive", "400").getMessage());
    }

    @Test
    void keysOfTheWrongLengthAreNeverPadded() {
        String shortKey = KEY_A.substring(0, 30);
        UsageException tooShort = usageError("--private-key", shortKey);
        assertTrue(tooShort.getMessage().startsWith("--private-key: is too short for a 32-byte key"),
                tooShort.getMessage());
        assertFalse(tooShort.getMessage().contains(shortKey), "a private key is never shown");
        assertTrue(usageError("-p", "x", "--trusted-key", KEY_A + "A").getMessage()
                .startsWith("--trusted-key: is too long"));
        assertTrue(usageError("-p", "x", "--trust", "zzz").getMessage().startsWith("--trust: is too short"));
        assertTrue(usageError(Map.of("PRIVATE_KEY", "abc")).getMessage().startsWith("PRIVATE_KEY: is too short"));
    }

    @Test
    void referenceOptionsThatWereMissingLandInTheConfig() throws UsageException {
        CliConfig config = run("-p", "x", "--statsd-server", "127.0.0.1:8125", "--statsd-prefix", "net1",
                "--beacon-store", "/run/b.out", "--beacon-load", "|cat /run/b.in", "--beacon-interval", "90s",
                "--beacon-password", "bp", "--user", "root", "--group", "root", "--switch-timeout", "300");
        assertEquals(Optional.of(new CliConfig.Statsd("127.0.0.1:8125", "net1")), config.statsd());
        assertEquals(Optional.of("/run/b.out"), config.beacon().store());
        assertEquals(Optional.of("|cat /run/b.in"), config.beacon().load());
        assertEquals(Duration.ofSeconds(90), config.beacon().interval());
        assertEquals(Optional.of("bp"), config.beacon().password());
        assertEquals(0, config.user().orElseThrow().id());
        assertEquals(0, config.group().orElseThrow().id());
    }

    @Test
    void referenceDefaultsOfTheNewOptions() throws UsageException {
        CliConfig config = run("-p", "x", "--statsd-server", "[::1]:8125");
        assertEquals(Optional.of(new CliConfig.Statsd("[::1]:8125", "vpncloud")), config.statsd());
        assertEquals(Duration.ofHours(1), config.beacon().interval());
        assertFalse(config.beacon().enabled());
        assertEquals(Optional.empty(), config.user());
    }

    @Test
    void numericUserAndGroup() throws UsageException {
        CliConfig config = run("-p", "x", "--user", "0", "--group", "0");
        assertEquals(0, config.user().orElseThrow().id());
        assertEquals(0, config.group().orElseThrow().gid());
    }

    @Test
    void hookForAnEventThatIsNeverFiredIsAcceptedWithAWarning() throws UsageException {
        CliConfig config = run("-p", "x", "--hook", "peer_connecting:echo");
        assertEquals(Optional.of("echo"), config.hooks().scriptFor("peer_connecting"));
        assertEquals(1, config.warnings().size());
        assertTrue(config.warnings().get(0).contains("peer_connecting"));
    }

    @Test
    void hookWithAColonNamesAnEventWhichMustExist() throws UsageException {
        UsageException e = usageError("-p", "x", "--hook", "logger -t vpn:hook");
        assertTrue(e.getMessage().startsWith("--hook: unknown event 'logger -t vpn'"), e.getMessage());
        CliConfig config = run("-p", "x", "--hook", "logger -t vpn-hook", "--hook", "vpn_started:echo a:b");
        assertEquals(Optional.of("logger -t vpn-hook"), config.hooks().script());
        assertEquals(Optional.of("echo a:b"), config.hooks().scriptFor("vpn_started"));
    }

    @Test
    void theUsageNamesEveryOption() {
        String usage = CommandLineOptions.usage();
        for (CommandLineOptions.OptionName option : CommandLineOptions.optionNames()) {
            assertTrue(usage.matches("(?s).*[ ,]" + java.util.regex.Pattern.quote(option.name()) + "[ ,;)\\n].*"),
                    option.name());
        }
    }

    @Test
    void secretsAreNotPrinted() throws UsageException {
        String shown = run("-p", "topsecret").toString();
        assertFalse(shown.contains("topsecret"), shown);
    }
}
