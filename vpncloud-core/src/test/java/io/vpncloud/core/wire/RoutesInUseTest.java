package io.vpncloud.core.wire;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RoutesInUseTest {
    private static final NodeId OWNER = NodeId.fromBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});

    @Test
    void travelsInANodeInfoPartAndComesBack() throws Exception {
        RoutesInUse routes = new RoutesInUse(List.of(
                new RoutesInUse.Route(IpRange.parse("10.0.0.1/32"), OWNER),
                new RoutesInUse.Route(IpRange.parse("fd00::/64"), NodeId.random())));
        NodeInfo info = new NodeInfo(NodeId.random(), List.of(), List.of(), OptionalInt.of(5), List.of(),
                OptionalLong.of(5000), List.of(routes.toPart()));
        NodeInfo decoded = NodeInfo.decode(ByteBuffer.wrap(info.toBytes()));
        assertEquals(routes, RoutesInUse.from(decoded));
    }

    @Test
    void layoutIsRangeThenOwner() {
        byte[] value = new RoutesInUse(List.of(new RoutesInUse.Route(IpRange.parse("10.0.0.1/32"), OWNER)))
                .toPart().value();
        byte[] expected = new byte[] {4, 10, 0, 0, 1, 32, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        assertArrayEquals(expected, value);
    }

    @Test
    void aNodeInfoWithoutThePartHasNoRoutes() throws Exception {
        NodeInfo info = NodeInfo.of(NodeId.random(), List.of(), List.of(), OptionalInt.empty(), List.of());
        assertEquals(List.of(), RoutesInUse.from(info).routes());
    }

    @Test
    void aTruncatedPartIsMalformed() {
        byte[] value = new byte[] {4, 10, 0, 0, 1, 32, 1, 2, 3};
        NodeInfo info = new NodeInfo(NodeId.random(), List.of(), List.of(), OptionalInt.empty(), List.of(),
                OptionalLong.empty(), List.of(new NodeInfo.Part(RoutesInUse.PART_ID, value)));
        assertThrows(MalformedMessageException.class, () -> RoutesInUse.from(info));
    }
}
