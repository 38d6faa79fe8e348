package io.vpncloud.core.wire;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a node tells its peers about itself (PROTOCOL.md §7), sent in the handshake payload and as NODE_INFO
 * session messages: a sequence of parts {@code id u8, length u16, value} closed by a single {@code 0x00}.
 *
 * <p>Encoding follows the reference byte for byte: node id (4), peers (1), claims (2), peer timeout (3, if set),
 * own addresses (5), then the Java extensions, then {@code 0x00}. The reference always writes parts 1, 2 and 5,
 * even when empty, and so does this. Unknown parts are kept in {@link #otherParts} and written back after the
 * known ones, so re-encoding a NodeInfo sent by the reference gives the same bytes.
 *
 * @param nodeId             the sender's node id (part 4, required)
 * @param peers              the sender's peers (part 1; at most {@value #MAX_PEERS} are encoded)
 * @param claims             the address ranges the sender claims (part 2)
 * @param peerTimeoutSeconds how long the sender waits before declaring a silent peer dead (part 3, u16)
 * @param addresses          where the sender can be reached (part 5; at most 7 are encoded)
 * @param peerTimeoutMillis  Java-to-Java extension: the sender's peer timeout in milliseconds (part
 *                           {@value #PART_PEER_TIMEOUT_MILLIS}, u32), for sub-second failover; the reference
 *                           skips it
 * @param otherParts         parts this codec does not know, in the order received
 */
public record NodeInfo(
        NodeId nodeId,
        List<PeerInfo> peers,
        List<IpRange> claims,
        OptionalInt peerTimeoutSeconds,
        List<PeerAddress> addresses,
        OptionalLong peerTimeoutMillis,
        List<Part> otherParts) {

    /** Peers the reference sends at most; more are dropped on encoding. */
    public static final int MAX_PEERS = 20;
    /** Part id of the millisecond peer timeout extension. */
    public static final int PART_PEER_TIMEOUT_MILLIS = 0x80;

    private static final int PART_END = 0;
    private static final int PART_PEERS = 1;
    private static final int PART_CLAIMS = 2;
    private static final int PART_PEER_TIMEOUT = 3;
    private static final int PART_NODE_ID = 4;
    private static final int PART_ADDRESSES = 5;
    private static final Set<Integer> KNOWN_PARTS = Set.of(PART_END, PART_PEERS, PART_CLAIMS, PART_PEER_TIMEOUT,
            PART_NODE_ID, PART_ADDRESSES, PART_PEER_TIMEOUT_MILLIS);
    private static final int HEADER_LENGTH = 3;
    private static final int MAX_PART_LENGTH = 0xFFFF;
    private static final int PEER_HAS_NODE_ID = 0x80;

    public NodeInfo {
        Objects.requireNonNull(nodeId, "nodeId");
        peers = List.copyOf(peers);
        claims = List.copyOf(claims);
        Objects.requireNonNull(peerTimeoutSeconds, "peerTimeoutSeconds");
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(peerTimeoutMillis, "peerTimeoutMillis");
        otherParts = List.copyOf(otherParts);
        if (peerTimeoutSeconds.isPresent() && (peerTimeoutSeconds.getAsInt() < 0
                || peerTimeoutSeconds.getAsInt() > 0xFFFF)) {
            throw new IllegalArgumentException("peer timeout seconds out of u16 range: " + peerTimeoutSeconds);
        }
        if (peerTimeoutMillis.isPresent() && (peerTimeoutMillis.getAsLong() < 0
                || peerTimeoutMillis.getAsLong() > 0xFFFF_FFFFL)) {
            throw new IllegalArgumentException("peer timeout millis out of u32 range: " + peerTimeoutMillis);
        }
        if (claimsLength(claims) > MAX_PART_LENGTH) {
            throw new IllegalArgumentException("too many claims for one part: " + claims.size());
        }
        for (Part part : otherParts) {
            if (KNOWN_PARTS.contains(part.id())) {
                throw new IllegalArgumentException("part id " + part.id() + " is not an unknown part");
            }
        }
    }

    /** A NodeInfo with the reference's fields only (no extensions). */
    public static NodeInfo of(NodeId nodeId, List<PeerInfo> peers, List<IpRange> claims, OptionalInt peerTimeoutSeconds,
            List<PeerAddress> addresses) {
        return new NodeInfo(nodeId, peers, claims, peerTimeoutSeconds, addresses, OptionalLong.empty(), List.of());
    }

    /** This NodeInfo with an empty peer list (itself if the list is empty already). */
    public NodeInfo withoutPeers() {
        return peers.isEmpty() ? this
                : new NodeInfo(nodeId, List.of(), claims, peerTimeoutSeconds, addresses, peerTimeoutMillis, otherParts);
    }

    /**
     * A part this codec does not interpret, kept so that re-encoding is lossless.
     *
     * @param id    part id, 1..255 and not one of the known ids
     * @param value the part's bytes, at most 65535 (copied in and out)
     */
    public record Part(int id, byte[] value) {

        public Part {
            if (id < 1 || id > 0xFF) {
                throw new IllegalArgumentException("part id out of 1..255: " + id);
            }
            if (value.length > MAX_PART_LENGTH) {
                throw new IllegalArgumentException("part too long: " + value.length);
            }
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Part p && p.id == id && Arrays.equals(p.value, value);
        }

        @Override
        public int hashCode() {
            return id * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Part[" + id + ": " + HexFormat.of().formatHex(value) + "]";
        }
    }

    /**
     * Reads one NodeInfo, consuming the buffer up to and including its {@code 0x00} end marker.
     *
     * @throws MalformedMessageException if the input is truncated, a known part has a bad size or content, a known
     *                                   part appears twice, or the node id part is missing
     */
    public static NodeInfo decode(ByteBuffer in) throws MalformedMessageException {
        return new Decoder().decode(new WireReader(in));
    }

    /** Writes this NodeInfo, including the end marker; needs {@link #encodedLength()} bytes. */
    public void encode(ByteBuffer out) {
        WireWriter.header(out, PART_NODE_ID, NodeId.LENGTH);
        out.put(nodeId.toBytes());
        WireWriter.header(out, PART_PEERS, peersLength());
        for (PeerInfo peer : encodedPeers()) {
            int flags = AddressList.countFlags(peer.addresses()) | (peer.nodeId().isPresent() ? PEER_HAS_NODE_ID : 0);
            WireWriter.u8(out, flags);
            peer.nodeId().ifPresent(id -> out.put(id.toBytes()));
            AddressList.writeEntries(out, peer.addresses());
        }
        WireWriter.header(out, PART_CLAIMS, claimsLength(claims));
        for (IpRange claim : claims) {
            RangeCodec.write(out, claim);
        }
        if (peerTimeoutSeconds.isPresent()) {
            WireWriter.header(out, PART_PEER_TIMEOUT, 2);
            WireWriter.u16(out, peerTimeoutSeconds.getAsInt());
        }
        WireWriter.header(out, PART_ADDRESSES, 1 + AddressList.entriesLength(addresses));
        WireWriter.u8(out, AddressList.countFlags(addresses));
        AddressList.writeEntries(out, addresses);
        if (peerTimeoutMillis.isPresent()) {
            WireWriter.header(out, PART_PEER_TIMEOUT_MILLIS, 4);
            WireWriter.u32(out, peerTimeoutMillis.getAsLong());
        }
        for (Part part : otherParts) {
            WireWriter.header(out, part.id(), part.value.length);
            out.put(part.value);
        }
        WireWriter.u8(out, PART_END);
    }

    /** The number of bytes {@link #encode} writes. */
    public int encodedLength() {
        int length = HEADER_LENGTH + NodeId.LENGTH
                + HEADER_LENGTH + peersLength()
                + HEADER_LENGTH + claimsLength(claims)
                + HEADER_LENGTH + 1 + AddressList.entriesLength(addresses)
                + 1;
        if (peerTimeoutSeconds.isPresent()) {
            length += HEADER_LENGTH + 2;
        }
        if (peerTimeoutMillis.isPresent()) {
            length += HEADER_LENGTH + 4;
        }
        for (Part part : otherParts) {
            length += HEADER_LENGTH + part.value.length;
        }
        return length;
    }

    /** This NodeInfo encoded into a new array. */
    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(encodedLength());
        encode(out);
        return out.array();
    }

    private List<PeerInfo> encodedPeers() {
        return peers.size() > MAX_PEERS ? peers.subList(0, MAX_PEERS) : peers;
    }

    private int peersLength() {
        int length = 0;
        for (PeerInfo peer : encodedPeers()) {
            length += 1 + (peer.nodeId().isPresent() ? NodeId.LENGTH : 0) + AddressList.entriesLength(peer.addresses());
        }
        return length;
    }

    private static int claimsLength(List<IpRange> claims) {
        int length = 0;
        for (IpRange claim : claims) {
            length += RangeCodec.length(claim);
        }
        return length;
    }

    /** Collects the parts of one NodeInfo while reading it. */
    private static final class Decoder {
        private final Set<Integer> seen = new HashSet<>();
        private NodeId nodeId;
        private List<PeerInfo> peers = List.of();
        private List<IpRange> claims = List.of();
        private OptionalInt peerTimeoutSeconds = OptionalInt.empty();
        private List<PeerAddress> addresses = List.of();
        private OptionalLong peerTimeoutMillis = OptionalLong.empty();
        private final List<Part> otherParts = new ArrayList<>();

        NodeInfo decode(WireReader in) throws MalformedMessageException {
            for (int id = in.u8(); id != PART_END; id = in.u8()) {
                WireReader part = in.slice(in.u16());
                if (KNOWN_PARTS.contains(id) && !seen.add(id)) {
                    throw new MalformedMessageException("NodeInfo part " + id + " appears twice");
                }
                readPart(id, part);
            }
            if (nodeId == null) {
                throw new MalformedMessageException("NodeInfo without node id");
            }
            return new NodeInfo(nodeId, peers, claims, peerTimeoutSeconds, addresses, peerTimeoutMillis, otherParts);
        }

        private void readPart(int id, WireReader part) throws MalformedMessageException {
            switch (id) {
                case PART_NODE_ID -> nodeId = NodeId.fromBytes(
                        part.exactly(NodeId.LENGTH, "NodeInfo node id part").bytes(NodeId.LENGTH));
                case PART_PEERS -> peers = readPeers(part);
                case PART_CLAIMS -> claims = readClaims(part);
                case PART_PEER_TIMEOUT -> peerTimeoutSeconds = OptionalInt.of(
                        part.exactly(2, "NodeInfo peer timeout part").u16());
                case PART_ADDRESSES -> addresses = readAddresses(part);
                case PART_PEER_TIMEOUT_MILLIS -> peerTimeoutMillis = OptionalLong.of(
                        part.exactly(4, "NodeInfo peer timeout millis part").u32());
                default -> otherParts.add(new Part(id, part.bytes(part.remaining())));
            }
        }

        private static List<PeerInfo> readPeers(WireReader part) throws MalformedMessageException {
            List<PeerInfo> result = new ArrayList<>();
            while (part.hasRemaining()) {
                int flags = part.u8();
                Optional<NodeId> id = (flags & PEER_HAS_NODE_ID) != 0
                        ? Optional.of(NodeId.fromBytes(part.bytes(NodeId.LENGTH)))
                        : Optional.empty();
                result.add(new PeerInfo(id, AddressList.readEntries(part, flags)));
            }
            return result;
        }

        private static List<IpRange> readClaims(WireReader part) throws MalformedMessageException {
            List<IpRange> result = new ArrayList<>();
            while (part.hasRemaining()) {
                result.add(RangeCodec.read(part));
            }
            return result;
        }

        private static List<PeerAddress> readAddresses(WireReader part) throws MalformedMessageException {
            List<PeerAddress> result = AddressList.readEntries(part, part.u8());
            part.requireEnd("NodeInfo address list");
            return result;
        }
    }
}
