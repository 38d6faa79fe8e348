package io.vpncloud.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostnameServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final InetSocketAddress LOOPBACK_ANY_PORT =
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void everyConnectionGetsTheName() throws IOException {
        try (HostnameServer server = HostnameServer.start(LOOPBACK_ANY_PORT, "server-a")) {
            assertEquals("server-a", HostnameClient.ask(server.address(), TIMEOUT));
            assertEquals("server-a", HostnameClient.ask(server.address(), TIMEOUT));
        }
    }

    @Test
    void twoServersAnswerWithTheirOwnNames() throws IOException {
        try (HostnameServer a = HostnameServer.start(LOOPBACK_ANY_PORT, "server-a");
             HostnameServer b = HostnameServer.start(LOOPBACK_ANY_PORT, "server-b")) {
            assertEquals("server-b", HostnameClient.ask(b.address(), TIMEOUT));
            assertEquals("server-a", HostnameClient.ask(a.address(), TIMEOUT));
        }
    }

    @Test
    void aClosedServerGivesNoAnswer() throws IOException {
        InetSocketAddress address;
        try (HostnameServer server = HostnameServer.start(LOOPBACK_ANY_PORT, "gone")) {
            address = server.address();
        }
        assertThrows(IOException.class, () -> HostnameClient.ask(address, TIMEOUT));
    }

    @Test
    void timelinePrintsOneLinePerProbe() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        InstantSource fixed = InstantSource.fixed(Instant.parse("2024-01-01T00:00:00Z"));
        try (HostnameServer server = HostnameServer.start(LOOPBACK_ANY_PORT, "server-b")) {
            HostnameClient.timeline(server.address(), 3, Duration.ZERO, TIMEOUT, fixed,
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size());
        for (String line : lines) {
            assertTrue(line.endsWith("+  0.000s  server-b"), line);
        }
    }

    @Test
    void localHostNameIsNotEmpty() {
        assertFalse(HostnameServer.localHostName().isBlank());
    }
}
