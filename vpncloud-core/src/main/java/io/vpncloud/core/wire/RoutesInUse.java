package io.vpncloud.core.wire;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Java-to-Java NodeInfo extension (part {@value #PART_ID}): for ranges claimed by several peers, which claimant the
 * sender routes the range to. A server learns from it whether any peer uses it (it is active) or none (standby).
 * Value: repeated {@code range (as a claim), owner node id (16 bytes)}. The reference skips the part.
 *
 * @param routes the routes, at most {@value #MAX_ROUTES} of them are encoded
 */
public record RoutesInUse(List<Route> routes) {

    /** The NodeInfo part id of this extension. */
    public static final int PART_ID = 0x81;
    /** Routes carried at most, keeping NodeInfo within one small datagram. */
    public static final int MAX_ROUTES = 20;

    public RoutesInUse {
        routes = List.copyOf(routes.size() > MAX_ROUTES ? routes.subList(0, MAX_ROUTES) : routes);
    }

    /** One range and the claimant the sender routes it to. */
    public record Route(IpRange range, NodeId owner) {}

    /** The routes in a NodeInfo's parts; empty when the sender did not include the extension. */
    public static RoutesInUse from(NodeInfo info) throws MalformedMessageException {
        for (NodeInfo.Part part : info.otherParts()) {
            if (part.id() == PART_ID) {
                return decode(ByteBuffer.wrap(part.value()));
            }
        }
        return new RoutesInUse(List.of());
    }

    static RoutesInUse decode(ByteBuffer value) throws MalformedMessageException {
        WireReader in = new WireReader(value);
        List<Route> routes = new ArrayList<>();
        while (in.hasRemaining()) {
            IpRange range = RangeCodec.read(in);
            routes.add(new Route(range, NodeId.fromBytes(in.bytes(NodeId.LENGTH))));
        }
        return new RoutesInUse(routes);
    }

    /** This extension as a NodeInfo part. */
    public NodeInfo.Part toPart() {
        int length = 0;
        for (Route route : routes) {
            length += RangeCodec.length(route.range()) + NodeId.LENGTH;
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        for (Route route : routes) {
            RangeCodec.write(out, route.range());
            out.put(route.owner().toBytes());
        }
        return new NodeInfo.Part(PART_ID, out.array());
    }
}
