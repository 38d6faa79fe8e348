package io.vpncloud.core;

import io.vpncloud.api.IpRange;
import io.vpncloud.core.crypto.Algorithm;
import io.vpncloud.core.crypto.Identity;
import io.vpncloud.api.HealthCheck;
import io.vpncloud.core.wire.Base62;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VpnNodeBuilderTest {

    @Test
    void defaultsFollowTheReference() {
        NodeConfig config = VpnNode.builder().password("mysecret").toConfig();
        assertEquals(3210, config.listen().getPort());
        assertEquals(Duration.ofSeconds(300), config.peerTimeout());
        assertEquals(Set.of(Algorithm.AES128, Algorithm.AES256, Algorithm.CHACHA20), config.algorithms());
        assertTrue(config.autoClaim());
        assertEquals(Duration.ofSeconds(120), config.rotationInterval());
        assertEquals(Duration.ofSeconds(1), config.tick());
        // Nodes with the same password trust each other: the only trusted key is the own one.
        assertEquals(1, config.trustedKeys().size());
        assertArrayEquals(Identity.fromPassword("mysecret").publicKey(), config.trustedKeys().get(0));
    }

    @Test
    void shortTimersGetAFinerTick() {
        NodeConfig tutorial = VpnNode.builder().password("x").peerTimeout(Duration.ofSeconds(5))
                .keepalive(Duration.ofSeconds(2)).toConfig();
        assertEquals(Duration.ofMillis(100), tutorial.tick());
        NodeConfig subSecond = VpnNode.builder().password("x").peerTimeout(Duration.ofMillis(500))
                .keepalive(Duration.ofMillis(100)).toConfig();
        assertEquals(Duration.ofMillis(10), subSecond.tick());
    }

    @Test
    void optionsAreCollected() {
        NodeConfig config = VpnNode.builder().password("x").listen("127.0.0.1:4000").peer("127.0.0.1:4001")
                .claim("10.0.0.0/24").autoClaim(false).algorithm("chacha20").algorithm("PLAIN").toConfig();
        assertEquals(4000, config.listen().getPort());
        assertEquals(List.of("127.0.0.1:4001"), config.peers());
        assertEquals(List.of(IpRange.parse("10.0.0.0/24")), config.claims());
        assertEquals(Set.of(Algorithm.CHACHA20, Algorithm.PLAINTEXT), config.algorithms());
    }

    @Test
    void badValuesNameTheOptionAndTheValue() {
        assertMessage(() -> VpnNode.builder().peerTimeout(Duration.ofSeconds(-1)), "peerTimeout", "PT-1S");
        assertMessage(() -> VpnNode.builder().keepalive(Duration.ZERO), "keepalive", "PT0S");
        assertMessage(() -> VpnNode.builder().listen(70000), "listen", "70000");
        assertMessage(() -> VpnNode.builder().peer("no-port"), "peer", "no-port");
        assertMessage(() -> VpnNode.builder().peer("host:99999"), "peer", "host:99999");
        assertMessage(() -> VpnNode.builder().claim("10.0.0.0/33"), "claim", "10.0.0.0/33");
        assertMessage(() -> VpnNode.builder().algorithm("rot13"), "algorithm", "rot13");
        assertMessage(() -> VpnNode.builder().trustedKey("not base62!"), "trustedKey", "not base62!");
        assertMessage(() -> VpnNode.builder().maxPendingHandshakes(0), "maxPendingHandshakes", "0");
        assertMessage(() -> VpnNode.builder().build(), "password or privateKey");
        assertMessage(() -> VpnNode.builder().password("x").keepalive(Duration.ofSeconds(10))
                .peerTimeout(Duration.ofSeconds(5)).build(), "keepalive", "peerTimeout");
        assertMessage(() -> VpnNode.builder().password("x").privateKey(Identity.fromPassword("y").privateKeyBase62()),
                "privateKey", "password");
    }

    @Test
    void aPublicKeyMustBelongToThePrivateKey() {
        Identity identity = Identity.fromPassword("a");
        VpnNode.builder().privateKey(identity.privateKeyBase62()).publicKey(identity.publicKeyBase62()).toConfig();
        assertMessage(() -> VpnNode.builder().privateKey(identity.privateKeyBase62())
                .publicKey(Identity.fromPassword("b").publicKeyBase62()), "publicKey");
    }

    /** Every bad value throws as the option is set (or in build() for combinations), naming the option. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void everyBadValueIsRejectedNamingTheOption(String call, Executable action, String option) {
        assertMessage(action, option);
    }

    static Stream<Arguments> badOptions() {
        // Duration.of(1, ChronoUnit.FOREVER) throws by itself; this is the duration it stands for.
        Duration forever = ChronoUnit.FOREVER.getDuration();
        HealthCheck check = () -> true;
        return Stream.of(
                bad("password(\"\")", () -> VpnNode.builder().password(""), "password"),
                bad("password(\"  \")", () -> VpnNode.builder().password(" \t "), "password"),
                bad("privateKey(\"\")", () -> VpnNode.builder().privateKey(""), "privateKey"),
                bad("privateKey short", () -> VpnNode.builder().privateKey("abc"), "privateKey"),
                bad("privateKey zero", () -> VpnNode.builder().privateKey("0000"), "privateKey"),
                bad("privateKey long", () -> VpnNode.builder().privateKey("z".repeat(44)), "privateKey"),
                bad("privateKey not base62", () -> VpnNode.builder().privateKey("not base62!"), "privateKey"),
                bad("publicKey(\"\")", () -> VpnNode.builder().publicKey(""), "publicKey"),
                bad("publicKey short", () -> VpnNode.builder().publicKey(KEY.substring(0, 20)), "publicKey"),
                bad("publicKey zero", () -> VpnNode.builder().publicKey("0"), "publicKey"),
                bad("trustedKey(\"\")", () -> VpnNode.builder().trustedKey(""), "trustedKey"),
                bad("trustedKey short", () -> VpnNode.builder().trustedKey(KEY.substring(0, 38)), "trustedKey"),
                bad("trustedKey zero", () -> VpnNode.builder().trustedKey("00"), "trustedKey"),
                bad("trustedKey long", () -> VpnNode.builder().trustedKey(KEY + "0"), "trustedKey"),
                bad("peerTimeout FOREVER", () -> VpnNode.builder().peerTimeout(forever), "peerTimeout"),
                bad("peerTimeout over 16 bits", () -> VpnNode.builder().peerTimeout(Duration.ofSeconds(65536)),
                        "peerTimeout"),
                bad("peerTimeout 0", () -> VpnNode.builder().peerTimeout(Duration.ZERO), "peerTimeout"),
                bad("keepalive FOREVER", () -> VpnNode.builder().keepalive(forever), "keepalive"),
                bad("mode(null)", () -> VpnNode.builder().mode(null), "mode"),
                bad("switchTimeout FOREVER", () -> VpnNode.builder().switchTimeout(forever), "switchTimeout"),
                bad("switchTimeout 0", () -> VpnNode.builder().switchTimeout(Duration.ZERO), "switchTimeout"),
                bad("tick FOREVER", () -> VpnNode.builder().tick(forever), "tick"),
                bad("tick -1 s", () -> VpnNode.builder().tick(Duration.ofSeconds(-1)), "tick"),
                bad("rotationInterval FOREVER", () -> VpnNode.builder().rotationInterval(forever),
                        "rotationInterval"),
                bad("healthCheck interval FOREVER", () -> VpnNode.builder().healthCheck(check, forever,
                        Duration.ofSeconds(1), 1, 1), "healthCheck interval"),
                bad("healthCheck timeout FOREVER", () -> VpnNode.builder().healthCheck(check, Duration.ofSeconds(1),
                        forever, 1, 1), "healthCheck timeout"),
                bad("healthCheck rise 0", () -> VpnNode.builder().healthCheck(check, Duration.ofSeconds(1),
                        Duration.ofSeconds(1), 0, 1), "healthCheck rise"),
                bad("healthCheck fall 0", () -> VpnNode.builder().healthCheck(check, Duration.ofSeconds(1),
                        Duration.ofSeconds(1), 1, 0), "healthCheck fall"),
                bad("tick = peerTimeout", () -> VpnNode.builder().password("x").peerTimeout(Duration.ofSeconds(1))
                        .tick(Duration.ofSeconds(1)).build(), "tick"),
                bad("tick > peerTimeout", () -> VpnNode.builder().password("x").tick(Duration.ofSeconds(10))
                        .peerTimeout(Duration.ofSeconds(5)).build(), "tick"),
                bad("peer port 0", () -> VpnNode.builder().peer("10.0.0.1:0"), "peer"),
                bad("peer name port 0", () -> VpnNode.builder().peer("peer.example:0"), "peer"),
                bad("claim(\"cafe\")", () -> VpnNode.builder().claim("cafe"), "claim"),
                bad("claim(\"1\")", () -> VpnNode.builder().claim("1"), "claim"),
                bad("claim(\"10.0.0.300\")", () -> VpnNode.builder().claim("10.0.0.300"), "claim"),
                bad("claim(\"localhost\")", () -> VpnNode.builder().claim("localhost"), "claim"),
                bad("claim(\"cafe::/129\")", () -> VpnNode.builder().claim("cafe::/129"), "claim"),
                bad("listen(\"localhost:3210\")", () -> VpnNode.builder().listen("localhost:3210"), "listen"),
                bad("listen(\"cafe:3210\")", () -> VpnNode.builder().listen("cafe:3210"), "listen"),
                bad("listen(\"10.0.0.300:3210\")", () -> VpnNode.builder().listen("10.0.0.300:3210"), "listen"),
                bad("listen(\"1:3210\")", () -> VpnNode.builder().listen("1:3210"), "listen"));
    }

    /** A real public key in base62, 43 digits (asserted in {@link #theSampleKeyIsFullLength()}). */
    private static final String KEY = Identity.fromPassword("mysecret").publicKeyBase62();

    @Test
    void theSampleKeyIsFullLength() {
        assertEquals(43, KEY.length());
        VpnNode.builder().trustedKey(KEY);
    }

    private static Arguments bad(String call, Executable action, String option) {
        return Arguments.of(call, action, option);
    }

    @Test
    void aPrivateKeyIsNotRepeatedInItsErrorMessage() {
        String almostAKey = Identity.fromPassword("a").privateKeyBase62() + "!";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VpnNode.builder().privateKey(almostAKey));
        assertFalse(e.getMessage().contains(almostAKey.substring(0, 10)), e.getMessage());
    }

    @Test
    void leadingZeroBytesOfAKeyAreRestoredButNotMoreThanTwo() {
        byte[] key = new byte[32];
        key[2] = 7; // two leading zero bytes, which the text form drops
        key[31] = 1;
        NodeConfig config = VpnNode.builder().password("x").trustedKey(Base62.encode(key)).toConfig();
        assertArrayEquals(key, config.trustedKeys().get(0));
        key[2] = 0; // three: once in 16 million for a real key; rather a truncated one
        key[3] = 7;
        assertMessage(() -> VpnNode.builder().trustedKey(Base62.encode(key)), "trustedKey", "too short");
    }

    @Test
    void limitsThemselvesAreAccepted() {
        NodeConfig config = VpnNode.builder().password("x").peerTimeout(Duration.ofSeconds(65535))
                .tick(Duration.ofSeconds(65534)).listen("[::1]:0").claim("::ffff:10.0.0.0/120").toConfig();
        assertEquals(Duration.ofSeconds(65535), config.peerTimeout());
        assertEquals(Duration.ofSeconds(65534), config.tick());
        assertEquals(List.of(IpRange.parse("::ffff:10.0.0.0/120")), config.claims());
    }

    /** The configuration holds the private key: nothing public hands it out. */
    @Test
    void theConfigurationIsNotReadableThroughThePublicApi() {
        assertFalse(Modifier.isPublic(NodeConfig.class.getModifiers()));
        for (Class<?> type : List.of(VpnNode.class, VpnNode.Builder.class)) {
            for (Method method : type.getMethods()) {
                assertFalse(method.getReturnType() == NodeConfig.class || method.getReturnType() == Identity.class,
                        method.toString());
            }
        }
    }

    private static void assertMessage(Executable action, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention '" + part + "'");
        }
    }

    /** Lets lambdas that return the builder be used where no value is expected. */
    @FunctionalInterface
    private interface Executable {
        Object run();
    }
}
