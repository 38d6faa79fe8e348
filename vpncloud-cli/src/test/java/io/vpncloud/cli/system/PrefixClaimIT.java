package io.vpncloud.cli.system;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Primary and secondary by prefix length, on real TUN devices: both servers have the device address 10.0.0.1, the
 * primary claims 10.0.0.1/32, the secondary 10.0.0.0/31 (neither claims its address automatically). The client sends
 * to the longest matching claim, whichever server it met first; when the primary dies the secondary's shorter claim
 * takes over, and the returning primary takes the address back.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PrefixClaimIT {
    private static final String SHARED_IP = "10.0.0.1";

    @BeforeEach
    void requireRootAndTun() {
        SystemTestEnvironment.assumeUsable();
    }

    @Test
    void theLongestClaimAnswersWhicheverServerTheClientMetFirst() throws Exception {
        try (VpnTestbed testbed = VpnTestbed.create("prefix-claim", List.of("primary", "secondary", "client"))) {
            BackgroundProcess primary = testbed.startNode("primary", "--ip", SHARED_IP, "--claim", "10.0.0.1/32",
                    "--no-auto-claim", "-c", "secondary");
            testbed.startHostnameServer("primary");
            testbed.startNode("client", "--ip", "10.0.0.100", "-c", "primary", "-c", "secondary");
            testbed.awaitPing("client", SHARED_IP);
            HostnameProbe probe = testbed.hostnameProbe("client", SHARED_IP);
            probe.awaitAnswer("the primary", "primary"::equals, System.nanoTime(), VpnTestbed.ANSWER_LIMIT);

            // The secondary arrives second: the primary keeps the address.
            testbed.startNode("secondary", "--ip", SHARED_IP, "--claim", "10.0.0.0/31", "--no-auto-claim",
                    "-c", "primary");
            testbed.startHostnameServer("secondary");
            testbed.awaitConnection("client", "secondary", 1);
            probe.assertAlwaysAnsweredBy("primary", 6, "the secondary joined");

            long crash = System.nanoTime();
            assertEquals(128 + 9, primary.kill(), () -> "SIGKILL ends the JVM\n" + testbed.diagnostics());
            probe.assertAnsweredWithin("secondary", crash, VpnTestbed.CRASH_FAILOVER_LIMIT, "kill -9 of the primary");

            // The primary arrives second now: it takes the address back.
            testbed.restart(primary);
            testbed.awaitConnection("client", "primary", 2);
            probe.awaitAnswer("the primary", "primary"::equals, System.nanoTime(), VpnTestbed.ANSWER_LIMIT);
            probe.assertAlwaysAnsweredBy("primary", 6, "the primary returned");
        }
    }
}
