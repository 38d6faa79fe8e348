package io.vpncloud.cli;

import io.vpncloud.api.PeerAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two nodes' beacon rounds through a real file and through real shell commands. */
class BeaconExchangeTest {
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-12-01T02:00:00Z"));

    private static BeaconExchange exchange(Optional<String> store, Optional<String> load, List<String> own,
                                           List<PeerAddress> connected) {
        return new BeaconExchange(new CliConfig.Beacon(store, load, Duration.ofHours(1), Optional.of("pw")),
                () -> own, connected::add, CLOCK);
    }

    private static PeerAddress peer(String ip, int port) throws Exception {
        return new PeerAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void aNodeConnectsToTheAddressesAnotherStoredInAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("beacon");
        List<PeerAddress> connectedA = new ArrayList<>();
        List<PeerAddress> connectedB = new ArrayList<>();
        try (BeaconExchange a = exchange(Optional.of(file.toString()), Optional.empty(),
                List.of("192.0.2.1:3210", "[2001:db8::1]:3210", "[::ffff:192.0.2.9]:3211", "192.0.2.10:1"),
                connectedA);
             BeaconExchange b = exchange(Optional.empty(), Optional.of(file.toString()), List.of("192.0.2.2:3210"),
                     connectedB)) {
            a.exchange();
            String stored = Files.readString(file);
            assertTrue(stored.endsWith("\n"), stored);
            assertEquals(PosixFilePermissions.fromString("r--r--r--"), Files.getPosixFilePermissions(file));
            a.exchange(); // a second round replaces the read-only file
            b.exchange();
            // At most three addresses, IPv4 first; the mapped address counts as IPv4.
            assertEquals(List.of(peer("192.0.2.1", 3210), peer("192.0.2.9", 3211), peer("2001:db8::1", 3210)),
                    connectedB);
            assertEquals(List.of(), connectedA);
        }
    }

    @Test
    void commandsGetAndGiveTheBeaconAndANodeSkipsItsOwnAddresses(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("through-commands");
        List<PeerAddress> connected = new ArrayList<>();
        try (BeaconExchange a = exchange(Optional.of("|echo \"page: $beacon :end\" > '" + file + "'"),
                Optional.empty(), List.of("192.0.2.1:3210", "192.0.2.3:3210"), new ArrayList<>());
             BeaconExchange b = exchange(Optional.of("|test -n \"$begin$data$end\""),
                     Optional.of("|cat '" + file + "'; echo \"$begin\" > '" + dir.resolve("markers") + "'"),
                     List.of("192.0.2.1:3210", "192.0.2.2:3210"), connected)) {
            a.exchange();
            b.exchange();
            assertEquals(List.of(peer("192.0.2.3", 3210)), connected, "192.0.2.1:3210 is one of b's own addresses");
            assertEquals(new BeaconCodec("pw").begin() + "\n", Files.readString(dir.resolve("markers")));
        }
    }
}
