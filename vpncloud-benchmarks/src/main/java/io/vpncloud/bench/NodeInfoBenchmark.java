package io.vpncloud.bench;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.core.wire.MalformedMessageException;
import io.vpncloud.core.wire.NodeInfo;
import io.vpncloud.core.wire.PeerInfo;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encoding and decoding of a NodeInfo as a node of a large mesh sends it every keepalive: the full 20 peers the
 * reference puts in one message (each with its node id, half of them reachable under an IPv4 and an IPv6
 * address), three claims, both peer timeouts and two own addresses. Average time per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NodeInfoBenchmark {

    private NodeInfo info;
    private ByteBuffer encoded;
    private ByteBuffer scratch;

    @Setup
    public void createNodeInfo() throws UnknownHostException {
        List<PeerInfo> peers = new ArrayList<>();
        for (int i = 0; i < NodeInfo.MAX_PEERS; i++) {
            List<PeerAddress> addresses = new ArrayList<>();
            addresses.add(new PeerAddress(InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, 1, (byte) i}),
                    3210));
            if (i % 2 == 0) {
                addresses.add(new PeerAddress(InetAddress.getByName("fd00::" + Integer.toHexString(i + 1)), 3210));
            }
            peers.add(new PeerInfo(java.util.Optional.of(NodeId.random()), addresses));
        }
        List<IpRange> claims = List.of(IpRange.parse("10.0.0.1/32"), IpRange.parse("10.1.0.0/16"),
                IpRange.parse("fd10::/64"));
        List<PeerAddress> own = List.of(new PeerAddress(InetAddress.getByName("203.0.113.7"), 3210),
                new PeerAddress(InetAddress.getByName("2001:db8::7"), 3210));
        info = new NodeInfo(NodeId.random(), peers, claims, OptionalInt.of(300), own, OptionalLong.of(300_000),
                List.of());
        encoded = ByteBuffer.wrap(info.toBytes());
        scratch = ByteBuffer.allocate(info.encodedLength());
    }

    /** Encoding into a reused buffer, as the control plane does for every broadcast. */
    @Benchmark
    public ByteBuffer encode() {
        info.encode(scratch.clear());
        return scratch;
    }

    /** Decoding from the received bytes into a NodeInfo record with its peer list. */
    @Benchmark
    public NodeInfo decode() throws MalformedMessageException {
        return NodeInfo.decode(encoded.clear());
    }
}
