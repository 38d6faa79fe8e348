package io.vpncloud.core;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Numbered UDP packets between two test nodes, both ways, in windows: a window is sent in full, then every packet
 * of it must arrive with its content before the next window goes. Pacing by arrival keeps the tests independent
 * of the machine's speed; a packet that does not arrive within the wait fails the test.
 */
final class TwoWayTraffic {
    private final TestNode a;
    private final String aAddress;
    private final TestNode b;
    private final String bAddress;
    private final Duration wait;
    private int sentEachWay;
    private int deliveredToA;
    private int deliveredToB;

    /**
     * @param aAddress the device address of {@code a} (the source of its packets, the destination of b's)
     * @param wait     how long one packet may take before the test fails
     */
    TwoWayTraffic(TestNode a, String aAddress, TestNode b, String bAddress, Duration wait) {
        this.a = a;
        this.aAddress = aAddress;
        this.b = b;
        this.bAddress = bAddress;
        this.wait = wait;
    }

    /** Sends {@code size} packets each way and waits until all of them arrived intact. */
    void window(int size) throws IOException, InterruptedException {
        Set<String> toB = new HashSet<>();
        Set<String> toA = new HashSet<>();
        for (int i = 0; i < size; i++) {
            int number = sentEachWay++;
            String forB = a.name + "->" + b.name + " #" + number;
            String forA = b.name + "->" + a.name + " #" + number;
            a.send(aAddress, bAddress, forB);
            b.send(bAddress, aAddress, forA);
            toB.add(forB);
            toA.add(forA);
        }
        deliveredToB += receiveAll(b, bAddress, toB);
        deliveredToA += receiveAll(a, aAddress, toA);
    }

    private int receiveAll(TestNode receiver, String address, Set<String> expected) throws InterruptedException {
        int received = 0;
        while (!expected.isEmpty()) {
            Optional<byte[]> packet = receiver.receive(wait);
            assertTrue(packet.isPresent(), receiver + ": " + expected.size() + " packets missing after " + wait
                    + ", e.g. " + expected.iterator().next());
            assertEquals(address, Ipv4Packets.destination(packet.get()), receiver + ": destination");
            String text = Ipv4Packets.payloadText(packet.get());
            assertTrue(expected.remove(text), receiver + ": unexpected or repeated packet '" + text + "'");
            received++;
        }
        return received;
    }

    int deliveredToA() {
        return deliveredToA;
    }

    int deliveredToB() {
        return deliveredToB;
    }
}
