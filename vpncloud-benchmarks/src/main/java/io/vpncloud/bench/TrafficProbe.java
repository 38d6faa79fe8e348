package io.vpncloud.bench;

import io.vpncloud.core.MemoryTunDevice;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.BitSet;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An application on each of two nodes sending a small numbered packet to the other every millisecond, as a
 * steady stream of time-critical traffic; the receivers note the largest gap between arrivals, the loss, and how
 * late packets come. Send times travel in the packets: both nodes live in this JVM, so one clock serves both ends.
 */
final class TrafficProbe {
    static final long LATE_MS = 50;
    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int PACKET_SIZE = 44;
    private static final int SEQUENCE_OFFSET = 28;

    private final Direction aToB;
    private final Direction bToA;

    /**
     * @param aAddress the device address of a as four bytes (the source of a's packets)
     * @param packets  how many packets each way (one per millisecond)
     * @param grace    how long after the last send a packet may still arrive before it counts as lost
     */
    TrafficProbe(MemoryTunDevice a, byte[] aAddress, MemoryTunDevice b, byte[] bAddress, int packets, Duration grace) {
        this.aToB = new Direction("a->b", a, b, BenchPackets.ipv4(aAddress, bAddress, PACKET_SIZE), packets, grace);
        this.bToA = new Direction("b->a", b, a, BenchPackets.ipv4(bAddress, aAddress, PACKET_SIZE), packets, grace);
    }

    /** Starts sending and receiving both ways. */
    void start() {
        long start = System.nanoTime();
        aToB.start(start);
        bToA.start(start);
    }

    /** Waits until all packets were sent and received (or counted as lost). */
    ProbeResult await() throws InterruptedException {
        return ProbeResult.worse(aToB.await(), bToA.await());
    }

    /** One way: a sender thread on one device, a receiver thread on the other. */
    private static final class Direction {
        private final String name;
        private final MemoryTunDevice from;
        private final MemoryTunDevice to;
        private final byte[] template;
        private final int packets;
        private final long graceNanos;
        private Thread sender;
        private Thread receiver;
        private long start;
        private volatile long lastSendNanos;
        private volatile boolean sendingDone;
        // Written by the receiver thread only, read after it ended.
        private final BitSet seen = new BitSet();
        private int received;
        private int late;
        private long largestGapNanos;
        private long gapEndNanos;
        private long maxDelayNanos;

        Direction(String name, MemoryTunDevice from, MemoryTunDevice to, byte[] template, int packets,
                  Duration grace) {
            this.name = name;
            this.from = from;
            this.to = to;
            this.template = template;
            this.packets = packets;
            this.graceNanos = grace.toNanos();
        }

        void start(long startNanos) {
            start = startNanos;
            sender = new Thread(this::send, "probe-send-" + name);
            receiver = new Thread(this::receive, "probe-receive-" + name);
            receiver.start();
            sender.start();
        }

        /** One packet per millisecond on a fixed schedule; a late sender catches up rather than skipping. */
        private void send() {
            try {
                for (int i = 0; i < packets; i++) {
                    long due = start + i * INTERVAL_NANOS;
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    byte[] packet = template.clone();
                    long now = System.nanoTime();
                    ByteBuffer.wrap(packet, SEQUENCE_OFFSET, 12).putInt(i).putLong(now);
                    from.inject(packet);
                    lastSendNanos = now;
                }
            } catch (IOException e) {
                System.err.println("probe " + name + ": sending stopped: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                sendingDone = true;
            }
        }

        private void receive() {
            long lastArrival = start;
            try {
                while (received < packets) {
                    if (sendingDone && System.nanoTime() - lastSendNanos > graceNanos) {
                        break;
                    }
                    Optional<byte[]> packet = to.receive(Duration.ofMillis(20));
                    if (packet.isEmpty()) {
                        continue;
                    }
                    long now = System.nanoTime();
                    ByteBuffer body = ByteBuffer.wrap(packet.get(), SEQUENCE_OFFSET, 12);
                    int sequence = body.getInt();
                    long sentAt = body.getLong();
                    if (sequence < 0 || sequence >= packets || seen.get(sequence)) {
                        continue;
                    }
                    seen.set(sequence);
                    received++;
                    noteGap(lastArrival, now);
                    lastArrival = now;
                    long delay = now - sentAt;
                    maxDelayNanos = Math.max(maxDelayNanos, delay);
                    if (delay > TimeUnit.MILLISECONDS.toNanos(LATE_MS)) {
                        late++;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // Arrivals that stopped before the sending did leave a gap up to the last send.
            noteGap(lastArrival, lastSendNanos);
        }

        private void noteGap(long from, long to) {
            if (to - from > largestGapNanos) {
                largestGapNanos = to - from;
                gapEndNanos = to;
            }
        }

        ProbeResult await() throws InterruptedException {
            // A node that stopped reading its device leaves the sender blocked on a full queue: give up on it.
            sender.join(TimeUnit.NANOSECONDS.toMillis(packets * INTERVAL_NANOS + graceNanos) + 1);
            sender.interrupt();
            sender.join();
            receiver.join();
            return new ProbeResult(packets, largestGapNanos / 1e6, (gapEndNanos - start) / 1e9, packets - received,
                    late, maxDelayNanos / 1e6);
        }
    }
}
