package io.vpncloud.core;

import io.vpncloud.api.PeerAddress;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitQueueTest {

    @Test
    void oneFloodingSourceGetsItsShareAndOthersStillGetIn() throws Exception {
        InitQueue queue = new InitQueue(100, 4);
        for (int i = 0; i < 50; i++) {
            queue.offer(address("203.0.113.7", 1000 + i), datagram(i));
        }
        assertEquals(46, queue.dropped(), "all but four from one address are dropped");
        assertTrue(queue.offer(address("198.51.100.1", 3210), datagram(99)), "another sender still gets in");
        for (int i = 0; i < 4; i++) {
            assertEquals(i, queue.poll().datagram()[0]);
        }
        assertEquals(99, queue.poll().datagram()[0]);
        assertNull(queue.poll());
        assertTrue(queue.offer(address("203.0.113.7", 5000), datagram(7)), "the share is free again once handled");
    }

    @Test
    void theQueueIsBoundedInAllAndCountsWhatItDrops() throws Exception {
        InitQueue queue = new InitQueue(10, 4);
        int taken = 0;
        for (int i = 0; i < 1000; i++) {
            if (queue.offer(address("10.0." + (i >> 8) + "." + (i & 255), 3210), datagram(i))) {
                taken++;
            }
        }
        assertEquals(10, taken);
        assertEquals(990, queue.dropped());
    }

    @Test
    void theDatagramIsCopiedAndItsBufferLeftAsItWas() throws Exception {
        InitQueue queue = new InitQueue();
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {(byte) 0xFF, 1, 2, 3});
        buffer.position(1);
        queue.offer(address("127.0.0.1", 1), buffer);
        buffer.put(1, (byte) 9);
        assertEquals(1, buffer.position());
        assertArrayEquals(new byte[] {1, 2, 3}, queue.poll().datagram());
        assertTrue(queue.isEmpty());
    }

    static PeerAddress address(String ip, int port) throws UnknownHostException {
        return new PeerAddress(InetAddress.getByName(ip), port);
    }

    private static ByteBuffer datagram(int marker) {
        return ByteBuffer.wrap(new byte[] {(byte) marker, 0, 0});
    }
}
