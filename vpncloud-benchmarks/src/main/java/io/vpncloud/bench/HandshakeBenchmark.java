package io.vpncloud.bench;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.core.crypto.Algorithm;
import io.vpncloud.core.crypto.HandshakeContext;
import io.vpncloud.core.crypto.HandshakeState;
import io.vpncloud.core.crypto.Identity;
import io.vpncloud.core.crypto.TrustedKeys;
import io.vpncloud.core.wire.AlgorithmSpeed;
import io.vpncloud.core.wire.NodeInfo;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Complete handshakes per second: PING, PONG, PENG between two fresh {@link HandshakeState}s in one thread,
 * including signing and verifying three messages, two X25519 key pairs and agreements, and the encrypted NodeInfo
 * payloads. Run: {@code java -jar vpncloud-benchmarks/target/benchmarks.jar HandshakeBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeBenchmark {

    @Param({"AES128", "CHACHA20", "PLAINTEXT"})
    public Algorithm algorithm;

    private HandshakeContext initiatorContext;
    private HandshakeContext responderContext;

    @Setup
    public void setUp() throws UnknownHostException {
        Identity identity = Identity.fromPassword("benchmark");
        TrustedKeys trusted = TrustedKeys.onlyOwn(identity);
        float speed = algorithm == Algorithm.PLAINTEXT ? Float.POSITIVE_INFINITY : 1000f;
        List<AlgorithmSpeed> algorithms = List.of(new AlgorithmSpeed(algorithm.id(), speed));
        SecureRandom random = new SecureRandom();
        initiatorContext = context(identity, trusted, algorithms, random, "10.0.0.1");
        responderContext = context(identity, trusted, algorithms, random, "10.0.0.2");
    }

    @Benchmark
    public HandshakeState.Step fullHandshake() {
        HandshakeState initiator = HandshakeState.initiator(initiatorContext);
        HandshakeState responder = HandshakeState.responder(responderContext);
        HandshakeState.Send pong = (HandshakeState.Send) responder.handle(ByteBuffer.wrap(initiator.start()));
        HandshakeState.Established established =
                (HandshakeState.Established) initiator.handle(ByteBuffer.wrap(pong.datagram()));
        return responder.handle(ByteBuffer.wrap(established.datagramToSend()));
    }

    private static HandshakeContext context(Identity identity, TrustedKeys trusted, List<AlgorithmSpeed> algorithms,
            SecureRandom random, String address) throws UnknownHostException {
        NodeId nodeId = NodeId.random();
        InetAddress ip = InetAddress.getByName(address);
        NodeInfo info = NodeInfo.of(nodeId, List.of(), List.of(IpRange.host(ip)), OptionalInt.of(300),
                List.of(new PeerAddress(ip, 3210)));
        return new HandshakeContext(identity, trusted, nodeId, algorithms, random, () -> info);
    }
}
