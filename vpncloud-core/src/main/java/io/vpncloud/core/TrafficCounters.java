package io.vpncloud.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * Packet and byte counters of a node. Each counter is written by one data thread in the common case;
 * {@link LongAdder} keeps the increments cheap when the control thread writes too.
 */
final class TrafficCounters {
    final LongAdder packetsIn = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder packetsOut = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    /**
     * Packets from the device with no route, or to a peer we could not send to, and frames from a TAP device too
     * short for an Ethernet header.
     */
    final LongAdder dropped = new LongAdder();
    /** Packets from the device that no claim or learned address placed, sent to every peer (modes that broadcast). */
    final LongAdder flooded = new LongAdder();
    /** Source addresses not learned because the learning table was full. */
    final LongAdder unlearned = new LongAdder();
    /** Datagrams that were malformed, unauthenticated, replayed or from unknown senders. */
    final LongAdder invalid = new LongAdder();
    /**
     * Datagrams the control plane sent (handshake messages, NodeInfo, key rotation, CLOSE) and their bytes on the
     * wire: the cost of keeping the mesh, apart from the data it carries.
     */
    final LongAdder controlPacketsOut = new LongAdder();
    final LongAdder controlBytesOut = new LongAdder();

    void controlSent(int datagramBytes) {
        controlPacketsOut.increment();
        controlBytesOut.add(datagramBytes);
    }

    NodeStatus.Traffic snapshot() {
        return new NodeStatus.Traffic(packetsIn.sum(), bytesIn.sum(), packetsOut.sum(), bytesOut.sum(),
                dropped.sum(), invalid.sum(), controlPacketsOut.sum(), controlBytesOut.sum(), flooded.sum(),
                unlearned.sum());
    }
}
