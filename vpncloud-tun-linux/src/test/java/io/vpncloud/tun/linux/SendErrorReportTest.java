package io.vpncloud.tun.linux;

import static io.vpncloud.tun.linux.LoopbackUdp.IPV4_ANY_PORT;
import static io.vpncloud.tun.linux.LoopbackUdp.IPV6_ANY_PORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.SendError;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ICMP errors for sent datagrams, with real sockets on loopback: the kernel answers a datagram to a port where
 * nothing listens with "port unreachable", and the socket must report it without disturbing its traffic.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SendErrorReportTest {

    private static final int ROUNDS = 20;

    @BeforeEach
    void assumeLinux() {
        LoopbackUdp.assumeAvailable();
    }

    @Test
    void aDatagramToAPortWhereNothingListensIsReportedOverIpv4() throws IOException {
        try (LinuxUdpSocket socket = LoopbackUdp.bind(IPV4_ANY_PORT)) {
            InetSocketAddress deadPort = unusedPort("127.0.0.1");

            socket.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), deadPort);

            assertEquals(new SendError(PeerAddress.of(deadPort), SendError.Kind.PORT_UNREACHABLE,
                    Optional.of(InetAddress.getByName("127.0.0.1"))), awaitSendError(socket));
            assertNull(socket.nextSendError(), "one datagram, one report");
        }
    }

    @Test
    void aDatagramToAPortWhereNothingListensIsReportedOverIpv6() throws IOException {
        LoopbackUdp.assumeIpv6();
        try (LinuxUdpSocket socket = LoopbackUdp.bind(IPV6_ANY_PORT)) {
            InetSocketAddress deadPort = unusedPort("::1");

            socket.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), deadPort);

            assertEquals(new SendError(PeerAddress.of(deadPort), SendError.Kind.PORT_UNREACHABLE,
                    Optional.of(InetAddress.getByName("::1"))), awaitSendError(socket));
        }
    }

    /** A node listens on a wildcard address: one dual-stack socket, which must report IPv4 errors too. */
    @Test
    void aDualStackSocketReportsIpv4DestinationsAsPlainIpv4() throws IOException {
        try (LinuxUdpSocket socket = LoopbackUdp.bind(new InetSocketAddress(0))) {
            InetSocketAddress deadPort = unusedPort("127.0.0.1");

            socket.send(ByteBuffer.wrap(new byte[] {1}), deadPort);

            SendError error = awaitSendError(socket);
            assertEquals(new PeerAddress(InetAddress.getByName("127.0.0.1"), deadPort.getPort()), error.destination());
            assertEquals(SendError.Kind.PORT_UNREACHABLE, error.kind());
        }
    }

    /** The case that matters: a peer's process is gone (its socket closed without a word), its host is still up. */
    @Test
    void aPeerWhoseSocketClosedIsReported() throws IOException {
        try (LinuxUdpSocket socket = LoopbackUdp.bind(IPV4_ANY_PORT)) {
            LinuxUdpSocket peer = LoopbackUdp.bind(IPV4_ANY_PORT);
            InetSocketAddress peerAddress = peer.localAddress();
            socket.send(ByteBuffer.wrap(new byte[] {7}), peerAddress);
            ByteBuffer dst = ByteBuffer.allocate(100);
            assertEquals(socket.localAddress(), peer.receive(dst, true), "the peer was alive");
            peer.close();

            socket.send(ByteBuffer.wrap(new byte[] {8}), peerAddress);

            assertEquals(PeerAddress.of(peerAddress), awaitSendError(socket).destination());
        }
    }

    /**
     * Each datagram to the dead port leaves an error pending on the socket, which the kernel hands to the next call
     * on it: the datagram to the live peer right after it must still go out, and the one from the peer come in.
     */
    @Test
    void trafficWithALivePeerIsUnaffectedByErrorsForAnother() throws IOException {
        try (LinuxUdpSocket socket = LoopbackUdp.bind(IPV4_ANY_PORT);
                LinuxUdpSocket peer = LoopbackUdp.bind(IPV4_ANY_PORT)) {
            InetSocketAddress deadPort = unusedPort("127.0.0.1");
            ByteBuffer dst = ByteBuffer.allocate(100);
            List<SendError> errors = new ArrayList<>();

            for (int round = 0; round < ROUNDS; round++) {
                socket.send(ByteBuffer.wrap(new byte[] {(byte) round}), deadPort);
                socket.send(ByteBuffer.wrap(new byte[] {(byte) round}), peer.localAddress());
                peer.send(ByteBuffer.wrap(new byte[] {(byte) -round}), socket.localAddress());

                assertEquals(socket.localAddress(), peer.receive(dst.clear(), true));
                assertArrayEquals(new byte[] {(byte) round}, LoopbackUdp.remainingBytes(dst.flip()));
                assertEquals(peer.localAddress(), receiveData(socket, dst.clear(), errors));
                assertArrayEquals(new byte[] {(byte) -round}, LoopbackUdp.remainingBytes(dst.flip()));
            }
            drain(socket, errors);

            assertTrue(!errors.isEmpty(), "no error reported for " + ROUNDS + " datagrams to a dead port");
            for (SendError error : errors) {
                assertEquals(PeerAddress.of(deadPort), error.destination());
            }
            assertEquals(0, socket.unreadableSendErrors());
        }
    }

    @Test
    void segmentedSendsGoOutDespiteAPendingError() throws IOException {
        try (LinuxUdpSocket socket = LoopbackUdp.bind(IPV4_ANY_PORT);
                LinuxUdpSocket peer = LoopbackUdp.bind(IPV4_ANY_PORT)) {
            InetSocketAddress deadPort = unusedPort("127.0.0.1");
            byte[] payload = LoopbackUdp.pattern(3, 4 * 1000);
            ByteBuffer dst = ByteBuffer.allocate(65536);

            socket.send(ByteBuffer.wrap(new byte[] {1}), deadPort);
            socket.sendSegments(ByteBuffer.wrap(payload), 1000, peer.localAddress());

            ByteBuffer received = ByteBuffer.allocate(payload.length);
            while (received.hasRemaining()) {
                assertEquals(socket.localAddress(), peer.receive(dst.clear(), true));
                received.put(dst.flip());
            }
            assertArrayEquals(payload, received.array());
            assertEquals(PeerAddress.of(deadPort), awaitSendError(socket).destination());
        }
    }

    /**
     * The kernel hands a report's pending error to whichever call on the socket comes first. When a send takes it,
     * a receiver must still learn of the report at once, not at the next datagram: here nothing else ever arrives,
     * so without the wake-up the receive would wait until the test's timeout.
     */
    @Test
    void aReportThatASendTookOffTheSocketStillEndsAWaitingReceive() throws IOException {
        try (LinuxUdpSocket socket = LoopbackUdp.bind(IPV4_ANY_PORT);
                DatagramChannel sink = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress deadPort = unusedPort("127.0.0.1");
            socket.send(ByteBuffer.wrap(new byte[] {1}), deadPort);
            long before = socket.receiverWakeUps();
            while (socket.receiverWakeUps() == before) { // only sends run: one of them meets the pending error
                socket.send(ByteBuffer.wrap(new byte[] {2}), (InetSocketAddress) sink.getLocalAddress());
            }

            assertNull(socket.receive(ByteBuffer.allocate(100), true), "woken without a datagram");
            assertEquals(PeerAddress.of(deadPort), socket.nextSendError().destination());
        }
    }

    @Test
    void aSocketWithoutErrorsReportsNone() throws IOException {
        try (LinuxUdpSocket socket = LoopbackUdp.bind(IPV4_ANY_PORT)) {
            assertNull(socket.nextSendError());
        }
    }

    /** Receives (waiting) until a report is queued; the socket says so by returning null. */
    private static SendError awaitSendError(LinuxUdpSocket socket) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(100);
        SendError error;
        while ((error = socket.nextSendError()) == null) {
            assertNull(socket.receive(dst.clear(), true), "nobody sends to this socket");
        }
        return error;
    }

    /** Receives (waiting) until a datagram comes, collecting the reports queued meanwhile. */
    private static InetSocketAddress receiveData(LinuxUdpSocket socket, ByteBuffer dst, List<SendError> errors)
            throws IOException {
        while (true) {
            InetSocketAddress sender = socket.receive(dst, true);
            drain(socket, errors);
            if (sender != null) {
                return sender;
            }
        }
    }

    private static void drain(LinuxUdpSocket socket, List<SendError> errors) {
        for (SendError error = socket.nextSendError(); error != null; error = socket.nextSendError()) {
            errors.add(error);
        }
    }

    /** An address on loopback where no socket listens (one was bound there and closed again). */
    private static InetSocketAddress unusedPort(String host) throws IOException {
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(new InetSocketAddress(host, 0));
            return (InetSocketAddress) channel.getLocalAddress();
        }
    }
}
