package io.vpncloud.cli.system;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Beacons on real TUN devices: one node stores its advertised address in a beacon file, another that has no peer
 * configured loads the file and connects, and traffic flows between them.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BeaconIT {
    private static final Duration STORE_LIMIT = Duration.ofSeconds(20);

    @BeforeEach
    void requireRootAndTun() {
        SystemTestEnvironment.assumeUsable();
    }

    @Test
    void aNodeFindsAnotherThroughABeaconFile() throws Exception {
        try (VpnTestbed testbed = VpnTestbed.create("beacon", List.of("storer", "loader"))) {
            Path beacon = testbed.directory().resolve("beacon.txt");
            testbed.startNode("storer", "--ip", "10.0.0.1", "--advertise-addresses", testbed.peerAddress("storer"),
                    "--beacon-store", beacon.toString(), "--beacon-password", "vcst-beacon");
            Polling.await("the storer to write " + beacon, STORE_LIMIT, () -> Files.exists(beacon),
                    testbed::diagnostics);
            testbed.startNode("loader", "--ip", "10.0.0.2", "--beacon-load", beacon.toString(),
                    "--beacon-password", "vcst-beacon");
            Duration answered = testbed.awaitPing("loader", "10.0.0.1");
            System.out.println("ping to the node found through its beacon answered after " + answered.toMillis()
                    + " ms");
            testbed.awaitConnection("storer", "loader", 1);
        }
    }
}
