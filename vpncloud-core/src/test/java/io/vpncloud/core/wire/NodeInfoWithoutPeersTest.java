package io.vpncloud.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vpncloud.api.NodeId;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@link NodeInfo#withoutPeers()} removes the peer list and nothing else, checked on the encoded bytes. */
class NodeInfoWithoutPeersTest {

    @Property(tries = 200)
    void onlyThePeersPartBecomesEmpty(@ForAll("nodeInfos") NodeInfo info) {
        byte[] full = info.toBytes();
        // The node id part (3-byte header + 16 bytes) comes first, the peers part right after it.
        int peersPart = 3 + NodeId.LENGTH;
        int peersLength = (full[peersPart + 1] & 0xFF) << 8 | full[peersPart + 2] & 0xFF;
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(full, 0, peersPart + 1);
        expected.write(0);
        expected.write(0);
        expected.writeBytes(Arrays.copyOfRange(full, peersPart + 3 + peersLength, full.length));

        assertArrayEquals(expected.toByteArray(), info.withoutPeers().toBytes());
    }

    @Test
    void aNodeInfoWithoutPeersIsReturnedAsItIs() {
        NodeInfo info = NodeInfo.of(NodeId.random(), List.of(), List.of(), OptionalInt.of(300), List.of());
        assertSame(info, info.withoutPeers());
    }

    @Provide
    Arbitrary<NodeInfo> nodeInfos() {
        return WireArbitraries.nodeInfos();
    }
}
