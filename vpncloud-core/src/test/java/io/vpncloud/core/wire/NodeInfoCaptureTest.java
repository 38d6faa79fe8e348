package io.vpncloud.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.core.CaptureFile;
import io.vpncloud.core.CaptureFile.Datagram;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The plaintext capture: NodeInfo in PONG/PENG payloads and NODE_INFO messages decodes to what the nodes were
 * configured with and re-encodes to the same bytes; DATA and CLOSE are recognised.
 */
class NodeInfoCaptureTest {

    private static final CaptureFile PLAIN = CaptureFile.load("capture-plain.txt");

    private static final Map<String, List<IpRange>> CLAIMS = Map.of(
            "node1", List.of(IpRange.parse("10.99.1.0/24"), IpRange.parse("10.99.0.1/32")),
            "node2", List.of(IpRange.parse("10.99.0.2/32")));
    private static final Map<String, PeerAddress> ADDRESS = Map.of(
            "node1", address("192.168.77.1", 3210),
            "node2", address("192.168.77.2", 3210));

    @Test
    void everyNodeInfoDecodesToTheConfiguredValuesAndReEncodesIdentically() throws MalformedMessageException {
        List<SentNodeInfo> infos = allNodeInfos();
        assertEquals(2, infos.stream().filter(i -> i.viaHandshake).count(), "one from PONG, one from PENG (distinct)");
        assertTrue(infos.size() >= 6, "handshake payloads and NODE_INFO messages: " + infos.size());
        for (SentNodeInfo sent : infos) {
            ByteBuffer in = ByteBuffer.wrap(sent.bytes);
            NodeInfo info = NodeInfo.decode(in);
            assertFalse(in.hasRemaining(), "consumes up to the end marker: " + sent.datagram);
            assertEquals(CLAIMS.get(sent.sender()), info.claims(), sent.datagram.toString());
            assertEquals(OptionalInt.of(10), info.peerTimeoutSeconds(), sent.datagram.toString());
            assertEquals(List.of(ADDRESS.get(sent.sender())), info.addresses(), sent.datagram.toString());
            assertTrue(info.otherParts().isEmpty());
            assertEquals(sent.bytes.length, info.encodedLength());
            assertArrayEquals(sent.bytes, info.toBytes(), "re-encoding " + sent.datagram);
        }
    }

    @Test
    void eachNodeKeepsOneNodeIdAndListsTheOtherAsPeerOnceConnected() throws MalformedMessageException {
        NodeId node1 = nodeIdOf("node1");
        NodeId node2 = nodeIdOf("node2");
        assertFalse(node1.equals(node2));
        for (SentNodeInfo sent : allNodeInfos()) {
            NodeInfo info = NodeInfo.decode(ByteBuffer.wrap(sent.bytes));
            boolean fromNode1 = sent.sender().equals("node1");
            assertEquals(fromNode1 ? node1 : node2, info.nodeId(), sent.datagram.toString());
            if (sent.viaHandshake) {
                assertEquals(List.of(), info.peers(), "no peers before the first connection");
            } else {
                PeerInfo peer = new PeerInfo(Optional.of(fromNode1 ? node2 : node1),
                        List.of(ADDRESS.get(fromNode1 ? "node2" : "node1")));
                assertEquals(List.of(peer), info.peers(), sent.datagram.toString());
            }
        }
    }

    @Test
    void ipv4AddressesAreWrittenAsMappedIpv6LikeTheReference() {
        NodeInfo info = NodeInfo.of(new NodeId(1, 2), List.of(), List.of(), OptionalInt.empty(),
                List.of(address("192.168.77.1", 3210)));
        byte[] bytes = info.toBytes();
        byte[] addressPart = Arrays.copyOfRange(bytes, bytes.length - 23, bytes.length);
        assertArrayEquals(HexFormat.of().parseHex("0500130800000000000000000000ffffc0a84d010c8a00"),
                addressPart);
    }

    @Test
    void plainIpv4EntriesAreReadToo() throws MalformedMessageException {
        // part 4 node id, then part 5 with flags 0x09: one IPv6 entry (::1 port 1), one IPv4 entry (10.0.0.1 port 2)
        byte[] bytes = HexFormat.of().parseHex("04001000000000000000010000000000000002"
                + "05001909" + "00000000000000000000000000000001" + "0001" + "0a000001" + "0002" + "00");
        NodeInfo info = NodeInfo.decode(ByteBuffer.wrap(bytes));
        assertEquals(List.of(address("::1", 1), address("10.0.0.1", 2)), info.addresses());
        assertEquals(new NodeId(1, 2), info.nodeId());
    }

    @Test
    void dataAndCloseMessagesAreRecognised() throws Exception {
        List<Datagram> data = PLAIN.select(d -> !d.isInit() && d.firstByte() == MessageType.DATA);
        assertEquals(4, data.size(), "two echo requests and two replies");
        for (Datagram datagram : data) {
            byte[] packet = Arrays.copyOfRange(datagram.payload(), 1, datagram.payload().length);
            assertEquals(0x45, packet[0] & 0xFF, "IPv4 without options");
            assertEquals(1, packet[9], "ICMP");
            String source = datagram.sender().equals("node2") ? "10.99.0.2" : "10.99.0.1";
            String destination = datagram.sender().equals("node2") ? "10.99.0.1" : "10.99.0.2";
            assertEquals(InetAddress.getByAddress(Arrays.copyOfRange(packet, 12, 16)), inet(source));
            assertEquals(InetAddress.getByAddress(Arrays.copyOfRange(packet, 16, 20)), inet(destination));
        }
        List<Datagram> closes = PLAIN.select(d -> d.payload().length == 1 && d.firstByte() == MessageType.CLOSE);
        assertEquals(1, closes.size());
        assertEquals("node1", closes.get(0).sender());
        assertThrows(MalformedMessageException.class,
                () -> InitMessage.decode(ByteBuffer.wrap(closes.get(0).payload())),
                "a lone 0xff is not a handshake message");
    }

    @Test
    void everyDatagramOfThePlainCaptureIsClassified() {
        for (Datagram datagram : PLAIN.datagrams()) {
            int type = datagram.firstByte();
            boolean known = datagram.isInit() || type == MessageType.DATA || type == MessageType.NODE_INFO
                    || (type == MessageType.CLOSE && datagram.payload().length == 1);
            assertTrue(known, datagram.toString());
        }
    }

    /** A NodeInfo as sent: from a PONG/PENG payload (plaintext mode) or a NODE_INFO message. */
    private record SentNodeInfo(Datagram datagram, byte[] bytes, boolean viaHandshake) {
        String sender() {
            return datagram.sender();
        }
    }

    private static List<SentNodeInfo> allNodeInfos() throws MalformedMessageException {
        List<SentNodeInfo> result = new ArrayList<>();
        List<String> seenHandshakePayloads = new ArrayList<>();
        for (Datagram datagram : PLAIN.datagrams()) {
            byte[] payload = datagram.payload();
            if (datagram.isInit()) {
                byte[] nodeInfo = InitMessage.decode(ByteBuffer.wrap(payload)).payload();
                String hex = nodeInfo == null ? null : HexFormat.of().formatHex(nodeInfo);
                if (hex != null && !seenHandshakePayloads.contains(hex)) {
                    seenHandshakePayloads.add(hex);
                    result.add(new SentNodeInfo(datagram, nodeInfo, true));
                }
            } else if (datagram.firstByte() == MessageType.NODE_INFO) {
                result.add(new SentNodeInfo(datagram, Arrays.copyOfRange(payload, 1, payload.length), false));
            }
        }
        return result;
    }

    private static NodeId nodeIdOf(String sender) throws MalformedMessageException {
        SentNodeInfo first = allNodeInfos().stream().filter(i -> i.sender().equals(sender)).findFirst().orElseThrow();
        return NodeInfo.decode(ByteBuffer.wrap(first.bytes)).nodeId();
    }

    private static PeerAddress address(String ip, int port) {
        return new PeerAddress(inet(ip), port);
    }

    private static InetAddress inet(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
