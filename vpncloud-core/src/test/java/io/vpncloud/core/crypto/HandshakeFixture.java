package io.vpncloud.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.core.crypto.HandshakeState.Established;
import io.vpncloud.core.crypto.HandshakeState.Send;
import io.vpncloud.core.wire.AlgorithmSpeed;
import io.vpncloud.core.wire.NodeInfo;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/** Handshake contexts and checks shared by the handshake tests. */
final class HandshakeFixture {

    /** One key for all test nodes, as with a shared password. */
    static final Identity IDENTITY = Identity.fromPrivateKey(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
        31, 32});
    static final TrustedKeys TRUSTED = TrustedKeys.onlyOwn(IDENTITY);
    private static final SecureRandom RANDOM = new SecureRandom();

    private HandshakeFixture() {
    }

    /** A context for a new node allowing {@code algorithms}, trusting {@link #IDENTITY}. */
    static HandshakeContext context(List<AlgorithmSpeed> algorithms) {
        return context(IDENTITY, TRUSTED, algorithms);
    }

    static HandshakeContext context(Identity identity, TrustedKeys trusted, List<AlgorithmSpeed> algorithms) {
        NodeId nodeId = NodeId.random();
        NodeInfo info = NodeInfo.of(nodeId, List.of(), List.of(IpRange.parse("10.1.2.3/32")), OptionalInt.of(300),
                List.of(new PeerAddress(localhost(), 3210 + RANDOM.nextInt(1000))));
        return new HandshakeContext(identity, trusted, nodeId, algorithms, RANDOM, () -> info);
    }

    /** The algorithm list a node allowing only {@code algorithm} advertises. */
    static List<AlgorithmSpeed> only(Algorithm algorithm) {
        return List.of(new AlgorithmSpeed(algorithm.id(),
                algorithm == Algorithm.PLAINTEXT ? Float.POSITIVE_INFINITY : 1000f));
    }

    /** The default set: AES-128, AES-256, ChaCha20 with plausible speeds. */
    static List<AlgorithmSpeed> defaults() {
        return List.of(new AlgorithmSpeed(1, 3000f), new AlgorithmSpeed(2, 2500f), new AlgorithmSpeed(3, 1500f));
    }

    static ByteBuffer wrap(byte[] datagram) {
        return ByteBuffer.wrap(datagram);
    }

    /** Runs PING, PONG, PENG between a fresh initiator and responder without loss. */
    static Established[] completeHandshake(HandshakeContext initiatorContext, HandshakeContext responderContext) {
        HandshakeState initiator = HandshakeState.initiator(initiatorContext);
        HandshakeState responder = HandshakeState.responder(responderContext);
        Send pong = assertInstanceOf(Send.class,
                responder.handle(wrap(initiator.start())));
        Established a = assertInstanceOf(Established.class, initiator.handle(wrap(pong.datagram())));
        Established b = assertInstanceOf(Established.class, responder.handle(wrap(a.datagramToSend())));
        return new Established[] {a, b};
    }

    /** Messages encrypted by each side decrypt on the other, several times in both directions. */
    static void assertSessionWorks(SessionCipher one, SessionCipher other) throws AuthenticationFailedException {
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(message(i), roundTrip(one, other, message(i)));
            assertArrayEquals(message(i + 10), roundTrip(other, one, message(i + 10)));
        }
    }

    static byte[] encrypt(SessionCipher sender, byte[] message) {
        ByteBuffer out = ByteBuffer.allocate(message.length + sender.overhead());
        sender.encrypt(ByteBuffer.wrap(message), out);
        return out.array();
    }

    static byte[] decrypt(SessionCipher receiver, byte[] datagram) throws AuthenticationFailedException {
        ByteBuffer out = ByteBuffer.allocate(datagram.length);
        receiver.decrypt(ByteBuffer.wrap(datagram), out);
        return Arrays.copyOf(out.array(), out.position());
    }

    private static byte[] roundTrip(SessionCipher sender, SessionCipher receiver, byte[] message)
            throws AuthenticationFailedException {
        return decrypt(receiver, encrypt(sender, message));
    }

    private static byte[] message(int i) {
        return ("session message " + i).getBytes(StandardCharsets.US_ASCII);
    }

    private static InetAddress localhost() {
        try {
            return InetAddress.getByName("127.0.0.1");
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
