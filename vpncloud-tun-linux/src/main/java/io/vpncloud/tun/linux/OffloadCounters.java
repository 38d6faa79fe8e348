package io.vpncloud.tun.linux;

/**
 * What the offload paths of one device did, for tests and diagnostics. Each counter has a single writing thread
 * (the reader's or the writer's), so a volatile increment is exact; any thread may read.
 */
final class OffloadCounters {

    private volatile long superPackets;
    private volatile long superPacketSegments;
    private volatile long mergedWrites;
    private volatile long mergedSegments;
    private volatile long droppedReads;

    /** TCP super-packets read from the kernel. */
    long superPackets() {
        return superPackets;
    }

    /** The segments those super-packets were cut into. */
    long superPacketSegments() {
        return superPacketSegments;
    }

    /** Writes that handed the kernel more than one TCP segment at once. */
    long mergedWrites() {
        return mergedWrites;
    }

    /** The segments those writes carried. */
    long mergedSegments() {
        return mergedSegments;
    }

    /** Frames (or segments) read from the kernel that made no sense and were dropped. */
    long droppedReads() {
        return droppedReads;
    }

    @SuppressWarnings("NonAtomicOperationOnVolatileField") // one writing thread per counter
    void superPacketRead(int segments) {
        superPackets++;
        superPacketSegments += segments;
    }

    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    void mergedWrite(int segments) {
        mergedWrites++;
        mergedSegments += segments;
    }

    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    void dropped() {
        droppedReads++;
    }
}
