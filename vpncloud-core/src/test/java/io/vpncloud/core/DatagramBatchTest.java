package io.vpncloud.core;

import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.UdpSocket;
import io.vpncloud.core.crypto.Algorithm;
import io.vpncloud.core.crypto.SessionCipher;
import io.vpncloud.core.net.JdkUdpSocket;
import io.vpncloud.core.wire.MessageType;
import io.vpncloud.core.wire.NodeInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DatagramBatch over a real UDP socket on loopback: which datagrams join a batch, and that what arrives decrypts to
 * the packets in order. The socket is a JDK one that reports segmentation offload and records each sendSegments
 * call before sending the datagrams one by one, as the interface's default does.
 */
class DatagramBatchTest {
    private static final byte[] SECRET = new byte[32];

    private final TrafficCounters counters = new TrafficCounters();
    private DatagramChannel receiverA;
    private DatagramChannel receiverB;
    private RecordingSocket socket;

    @BeforeEach
    void open() throws IOException {
        receiverA = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        receiverB = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        socket = new RecordingSocket(JdkUdpSocket.bind(new InetSocketAddress("127.0.0.1", 0), 1 << 20));
    }

    @AfterEach
    void close() throws IOException {
        receiverA.close();
        receiverB.close();
        socket.close();
    }

    @Test
    void equalDatagramsAndOneShorterGoOutInOneCallAndDecryptInOrder() throws Exception {
        Peer peer = encryptedPeer(receiverA);
        DatagramBatch batch = new DatagramBatch(socket, counters);
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            packets.add(packet(1000, i));
        }
        packets.add(packet(300, 9));
        for (byte[] packet : packets) {
            assertTrue(batch.accepts(peer, 1 + packet.length + SessionCipher.OVERHEAD));
            batch.add(peer, message(packet), packet.length);
        }
        batch.send();

        assertEquals(6, socket.calls.get(0)[0]);
        assertEquals(1 + 1000 + SessionCipher.OVERHEAD, socket.calls.get(0)[1]);
        assertEquals(1, socket.calls.size());
        SessionCipher receiving = SessionCipher.create(Algorithm.AES128, SECRET, false, new SecureRandom());
        for (byte[] expected : packets) {
            ByteBuffer datagram = ByteBuffer.allocate(2000);
            receiverA.receive(datagram);
            ByteBuffer plain = ByteBuffer.allocate(2000);
            receiving.decrypt(datagram.flip(), plain);
            plain.flip();
            assertEquals(MessageType.DATA, plain.get() & 0xFF);
            byte[] body = new byte[plain.remaining()];
            plain.get(body);
            assertArrayEquals(expected, body);
        }
        assertEquals(6, counters.packetsOut.sum());
        assertEquals(5 * 1000 + 300, counters.bytesOut.sum());
        assertEquals(0, batch.size());
    }

    @Test
    void nothingFollowsAShorterDatagramAndNothingLargerJoins() throws Exception {
        Peer peer = encryptedPeer(receiverA);
        DatagramBatch batch = new DatagramBatch(socket, counters);
        batch.add(peer, message(packet(1000, 1)), 1000);
        assertFalse(batch.accepts(peer, 1 + 1001 + SessionCipher.OVERHEAD), "larger than the first");
        batch.add(peer, message(packet(500, 2)), 500);
        assertFalse(batch.accepts(peer, 1 + 500 + SessionCipher.OVERHEAD), "after a shorter one");
        assertFalse(batch.accepts(peer, 1 + 1000 + SessionCipher.OVERHEAD), "after a shorter one");
    }

    @Test
    void anotherPeerStartsItsOwnBatch() throws Exception {
        DatagramBatch batch = new DatagramBatch(socket, counters);
        Peer a = encryptedPeer(receiverA);
        Peer b = plaintextPeer(receiverB);
        batch.add(a, message(packet(100, 1)), 100);
        assertFalse(batch.accepts(b, 1 + 100));
        batch.send();
        assertTrue(batch.accepts(b, 1 + 100));
        batch.add(b, message(packet(100, 2)), 100);
        batch.send();
        ByteBuffer datagram = ByteBuffer.allocate(2000);
        receiverB.receive(datagram);
        byte[] expected = message(packet(100, 2)).array();
        assertArrayEquals(expected, Arrays.copyOf(datagram.array(), datagram.position()), "plaintext DATA");
        assertTrue(socket.calls.isEmpty(), "single datagrams go through send, not sendSegments");
    }

    @Test
    void aBatchEndsBeforeTheSocketsByteLimit() throws Exception {
        Peer peer = encryptedPeer(receiverA);
        DatagramBatch batch = new DatagramBatch(socket, counters);
        int size = 1 + 1400 + SessionCipher.OVERHEAD;
        int held = 0;
        while (batch.accepts(peer, size)) {
            batch.add(peer, message(packet(1400, held)), 1400);
            held++;
        }
        assertEquals(DatagramBatch.MAX_BATCH_BYTES / size, held);
    }

    @Test
    void aSocketWithoutOffloadGetsOneDatagramAtATime() throws Exception {
        UdpSocket plainSocket = JdkUdpSocket.bind(new InetSocketAddress("127.0.0.1", 0), 1 << 20);
        try (plainSocket) {
            DatagramBatch batch = new DatagramBatch(plainSocket, counters);
            Peer peer = encryptedPeer(receiverA);
            batch.add(peer, message(packet(100, 1)), 100);
            assertFalse(batch.accepts(peer, 1 + 100 + SessionCipher.OVERHEAD));
        }
    }

    @Test
    void aClosedSocketIsReportedAndTheBatchEmptied() throws Exception {
        Peer peer = encryptedPeer(receiverA);
        DatagramBatch batch = new DatagramBatch(socket, counters);
        batch.add(peer, message(packet(100, 1)), 100);
        socket.close();
        assertThrows(ClosedChannelException.class, batch::send);
        assertEquals(0, batch.size());
    }

    private static Peer encryptedPeer(DatagramChannel receiver) throws IOException {
        SessionCipher cipher = SessionCipher.create(Algorithm.AES128, SECRET, true, new SecureRandom());
        return peer(receiver, cipher);
    }

    private static Peer plaintextPeer(DatagramChannel receiver) throws IOException {
        return peer(receiver, SessionCipher.plaintext());
    }

    private static Peer peer(DatagramChannel receiver, SessionCipher cipher) throws IOException {
        NodeId id = NodeId.random();
        NodeInfo info = NodeInfo.of(id, List.of(), List.of(), OptionalInt.empty(), List.of());
        PeerAddress address = PeerAddress.of((InetSocketAddress) receiver.getLocalAddress());
        return new Peer(address, id, cipher, null, info, Instant.EPOCH, Duration.ofMinutes(2));
    }

    private static byte[] packet(int length, int seed) {
        byte[] packet = new byte[length];
        for (int i = 0; i < length; i++) {
            packet[i] = (byte) (seed * 31 + i);
        }
        return packet;
    }

    /** The DATA message of a packet, as the send path builds it: the type byte, then the packet. */
    private static ByteBuffer message(byte[] packet) {
        ByteBuffer message = ByteBuffer.allocate(1 + packet.length);
        message.put((byte) MessageType.DATA).put(packet).flip();
        return message;
    }

    /** A real socket that claims segmentation offload and records each sendSegments call (count, size). */
    private static final class RecordingSocket extends ForwardingUdpSocket {
        final List<int[]> calls = new ArrayList<>();

        RecordingSocket(UdpSocket socket) {
            super(socket);
        }

        @Override
        public int maxSegments() {
            return 64;
        }

        @Override
        public void sendSegments(ByteBuffer src, int segmentSize, InetSocketAddress to) throws IOException {
            int count = (src.remaining() + segmentSize - 1) / segmentSize;
            calls.add(new int[]{count, segmentSize});
            super.sendSegments(src, segmentSize, to); // the interface's default: one send per segment
        }
    }
}
