package io.vpncloud.examples;

import io.vpncloud.api.IpPackets;
import io.vpncloud.core.MemoryTunDevice;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * The client side of the HA demo: sends a numbered "who are you?" datagram to the shared address through its
 * in-memory device and waits for the answer to that number; late answers to earlier probes are skipped.
 */
final class Prober {
    private static final int DEFAULT_CLIENT_PORT = 40000;

    private final MemoryTunDevice device;
    private final InetAddress self;
    private final InetAddress target;
    private final InstantSource clock;
    /** The probes' source port: a prober is one UDP flow. */
    private final int clientPort;
    private long sequence;

    Prober(MemoryTunDevice device, InetAddress self, InetAddress target, InstantSource clock) {
        this(device, self, target, clock, DEFAULT_CLIENT_PORT);
    }

    /** A prober whose probes come from {@code clientPort}; probers with different ports are different flows. */
    Prober(MemoryTunDevice device, InetAddress self, InetAddress target, InstantSource clock, int clientPort) {
        this.clientPort = clientPort;
        this.device = device;
        this.self = self;
        this.target = target;
        this.clock = clock;
    }

    /** Asks once; the name of the server that answered within {@code timeout}, if any. */
    Optional<String> probe(Duration timeout) throws IOException, InterruptedException {
        long seq = ++sequence;
        byte[] question = ("who are you? " + seq).getBytes(StandardCharsets.UTF_8);
        device.inject(new IpPackets.Udp(self, clientPort, target, WhoAreYouServer.PORT, question).toBytes());
        Instant deadline = clock.instant().plus(timeout);
        for (Duration left = timeout; !left.isNegative() && !left.isZero();
             left = Duration.between(clock.instant(), deadline)) {
            Optional<String> answer = device.receive(left).flatMap(IpPackets::parseUdp)
                    .filter(p -> p.sourcePort() == WhoAreYouServer.PORT && p.destinationPort() == clientPort)
                    .map(p -> new String(p.payload(), StandardCharsets.UTF_8))
                    .filter(text -> text.endsWith(" " + seq))
                    .map(text -> text.substring(0, text.length() - (" " + seq).length()));
            if (answer.isPresent()) {
                return answer;
            }
        }
        return Optional.empty();
    }
}
