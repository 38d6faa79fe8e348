package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.SendError;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SendErrorQueueTest {

    private final SendErrorQueue queue = new SendErrorQueue();

    @Test
    void reportsComeOutInTheOrderTheyWentIn() {
        queue.put(report(1));
        queue.put(report(2));

        assertEquals(report(1), queue.poll());
        queue.put(report(3));
        assertEquals(report(2), queue.poll());
        assertEquals(report(3), queue.poll());
        assertNull(queue.poll());
    }

    @Test
    void whenFullTheOldestGiveWayAndAreCounted() {
        int extra = 5;
        for (int port = 1; port <= SendErrorQueue.CAPACITY + extra; port++) {
            queue.put(report(port));
        }

        for (int port = extra + 1; port <= SendErrorQueue.CAPACITY + extra; port++) {
            assertEquals(report(port), queue.poll());
        }
        assertNull(queue.poll());
        assertEquals(extra, queue.overwritten());
    }

    private static SendError report(int port) {
        return new SendError(new PeerAddress(InetAddress.getLoopbackAddress(), port), SendError.Kind.PORT_UNREACHABLE,
                Optional.empty());
    }
}
