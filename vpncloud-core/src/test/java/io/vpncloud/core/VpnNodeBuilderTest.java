package io.vpncloud.core;

import io.vpncloud.api.IpRange;
import io.vpncloud.core.crypto.Algorithm;
import io.vpncloud.core.crypto.Identity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
