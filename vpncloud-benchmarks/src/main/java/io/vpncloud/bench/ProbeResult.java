package io.vpncloud.bench;

/**
 * What a {@link TrafficProbe} saw in the worse of its two directions.
 *
 * @param sent         packets sent each way
 * @param largestGapMs the longest time without an arrival, from the first send to the last (ms)
 * @param gapEndSecond when that gap ended, in seconds since the first send
 * @param lost         packets not delivered within the grace time after the last send
 * @param late         packets delivered more than {@link TrafficProbe#LATE_MS} ms after they were sent
 * @param maxDelayMs   the longest time from a send to its arrival, through both nodes (ms)
 */
record ProbeResult(int sent, double largestGapMs, double gapEndSecond, int lost, int late, double maxDelayMs) {

    /** The worse of two directions, field by field. */
    static ProbeResult worse(ProbeResult a, ProbeResult b) {
        ProbeResult gap = a.largestGapMs >= b.largestGapMs ? a : b;
        return new ProbeResult(Math.max(a.sent, b.sent), gap.largestGapMs, gap.gapEndSecond,
                Math.max(a.lost, b.lost), Math.max(a.late, b.late), Math.max(a.maxDelayMs, b.maxDelayMs));
    }
}
