package io.vpncloud.core.wire;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of wire values for the property tests of this package. */
final class WireArbitraries {

    private WireArbitraries() {
    }

    static Arbitrary<byte[]> bytes(int length) {
        return Arbitraries.bytes().array(byte[].class).ofSize(length);
    }

    static Arbitrary<byte[]> bytes(int minLength, int maxLength) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(minLength).ofMaxSize(maxLength);
    }

    static Arbitrary<NodeId> nodeIds() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(NodeId::new);
    }

    static Arbitrary<PeerAddress> peerAddresses() {
        Arbitrary<byte[]> ip = Arbitraries.oneOf(bytes(4), bytes(16), mappedIpv4());
        return Combinators.combine(ip, Arbitraries.integers().between(0, 65535))
                .as((address, port) -> new PeerAddress(inet(address), port));
    }

    static Arbitrary<IpRange> ipRanges() {
        return Arbitraries.of(4, 16, 6, 8).flatMap(length -> Combinators.combine(bytes(length),
                Arbitraries.integers().between(0, length * 8)).as(IpRange::new));
    }

    static Arbitrary<PeerInfo> peerInfos() {
        return Combinators.combine(nodeIds().optional(), peerAddresses().list().ofMaxSize(9)).as(PeerInfo::new);
    }

    static Arbitrary<NodeInfo.Part> unknownParts() {
        Arbitrary<Integer> ids = Arbitraries.oneOf(Arbitraries.integers().between(6, 0x7F),
                Arbitraries.integers().between(0x81, 0xFF));
        return Combinators.combine(ids, bytes(0, 20)).as(NodeInfo.Part::new);
    }

    /** NodeInfos including more peers and addresses than are encoded, to exercise truncation. */
    static Arbitrary<NodeInfo> nodeInfos() {
        Arbitrary<OptionalInt> timeout = Arbitraries.integers().between(0, 65535).optional()
                .map(o -> o.map(OptionalInt::of).orElse(OptionalInt.empty()));
        Arbitrary<OptionalLong> millis = Arbitraries.longs().between(0, 0xFFFF_FFFFL).optional()
                .map(o -> o.map(OptionalLong::of).orElse(OptionalLong.empty()));
        return Combinators.combine(nodeIds(), peerInfos().list().ofMaxSize(25), ipRanges().list().ofMaxSize(10),
                timeout, peerAddresses().list().ofMaxSize(9), millis, unknownParts().list().ofMaxSize(3))
                .as(NodeInfo::new);
    }

    static Arbitrary<AlgorithmSpeed> algorithmSpeeds() {
        Arbitrary<Float> speeds = Arbitraries.oneOf(Arbitraries.floats(), Arbitraries.of(Float.POSITIVE_INFINITY,
                Float.NaN, 0f, -0f));
        return Combinators.combine(Arbitraries.integers().between(0, 255), speeds).as(AlgorithmSpeed::new);
    }

    /** Fields of any stage, with the optional fields of the stage sometimes present. */
    static Arbitrary<InitFields> initFields() {
        Arbitrary<Integer> stages = Arbitraries.integers().between(InitFields.PING, InitFields.PENG);
        return stages.flatMap(stage -> Combinators.combine(bytes(20),
                maybe(bytes(32), stage != InitFields.PENG),
                maybe(algorithmSpeeds().list().ofMaxSize(5), stage != InitFields.PENG),
                maybe(bytes(0, 200), stage != InitFields.PING))
                .as((hash, key, algorithms, payload) -> new InitFields(stage, hash, key, algorithms, payload)));
    }

    static Arbitrary<RotationMessage> rotationMessages() {
        return Combinators.combine(Arbitraries.longs(), bytes(32), Arbitraries.oneOf(bytes(0), bytes(32)))
                .as(RotationMessage::new);
    }

    /** Random damage to a valid message: one to four overwrites, insertions, deletions or truncations. */
    static Arbitrary<byte[]> mutated(Arbitrary<byte[]> valid) {
        Arbitrary<Mutation> mutations = Combinators.combine(Arbitraries.of(Mutation.Kind.values()),
                Arbitraries.integers().greaterOrEqual(0), Arbitraries.bytes()).as(Mutation::new);
        return Combinators.combine(valid, mutations.list().ofMinSize(1).ofMaxSize(4)).as((bytes, list) -> {
            byte[] result = bytes;
            for (Mutation mutation : list) {
                result = mutation.applyTo(result);
            }
            return result;
        });
    }

    /** One change to a byte string. */
    private record Mutation(Kind kind, int position, byte value) {
        enum Kind { OVERWRITE, INSERT, DELETE, TRUNCATE }

        byte[] applyTo(byte[] bytes) {
            if (bytes.length == 0) {
                return new byte[] {value};
            }
            int at = position % bytes.length;
            return switch (kind) {
                case OVERWRITE -> {
                    byte[] result = bytes.clone();
                    result[at] = value;
                    yield result;
                }
                case INSERT -> {
                    byte[] result = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, result, 0, at);
                    result[at] = value;
                    System.arraycopy(bytes, at, result, at + 1, bytes.length - at);
                    yield result;
                }
                case DELETE -> {
                    byte[] result = new byte[bytes.length - 1];
                    System.arraycopy(bytes, 0, result, 0, at);
                    System.arraycopy(bytes, at + 1, result, at, bytes.length - at - 1);
                    yield result;
                }
                case TRUNCATE -> Arrays.copyOf(bytes, at);
            };
        }
    }

    private static <T> Arbitrary<T> maybe(Arbitrary<T> value, boolean required) {
        return required ? value : Arbitraries.oneOf(value, Arbitraries.just(null));
    }

    private static Arbitrary<byte[]> mappedIpv4() {
        return bytes(4).map(v4 -> {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(v4, 0, mapped, 12, 4);
            return mapped;
        });
    }

    private static InetAddress inet(byte[] address) {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** What decoding an encoded NodeInfo must give: the peers and addresses beyond the wire limits dropped. */
    static NodeInfo truncatedToWireLimits(NodeInfo info) {
        List<PeerInfo> peers = info.peers().stream().limit(NodeInfo.MAX_PEERS)
                .map(p -> new PeerInfo(p.nodeId(), p.addresses().stream().limit(7).toList())).toList();
        return new NodeInfo(info.nodeId(), peers, info.claims(), info.peerTimeoutSeconds(),
                info.addresses().stream().limit(7).toList(), info.peerTimeoutMillis(), info.otherParts());
    }
}
