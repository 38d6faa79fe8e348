package io.vpncloud.bench;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.TunDevice;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TUN device for benchmarks that costs (almost) nothing per packet: {@link #read} hands the node one template
 * packet for every permit {@link #release released}, and {@link #write} only counts what the node delivers. Unlike
 * {@link io.vpncloud.core.MemoryTunDevice}, which copies every packet into a new array because the application
 * keeps it, nothing is allocated or queued, so a benchmark sees the cost of the node alone.
 */
final class CountingTunDevice implements TunDevice {

    private final String name;
    private final IpRange address;
    private final byte[] packet;
    private final Semaphore toSend = new Semaphore(0);
    private final AtomicLong delivered = new AtomicLong();
    private volatile Thread waiter;
    private volatile long wakeAt = Long.MAX_VALUE;
    private volatile boolean closed;

    /**
     * @param address the device address, auto-claimed by the node
     * @param packet  the packet every {@link #read} returns
     */
    CountingTunDevice(String name, IpRange address, byte[] packet) {
        this.name = name;
        this.address = address;
        this.packet = packet.clone();
    }

    /** Lets the node read {@code packets} more packets. */
    void release(int packets) {
        toSend.release(packets);
    }

    /** Packets the node has written to this device since it was created. */
    long delivered() {
        return delivered.get();
    }

    /**
     * Waits until {@link #delivered()} reaches {@code target}, or until no packet arrived for {@code idleNanos}.
     *
     * @return the delivered count when the wait ended
     */
    long awaitDelivered(long target, long idleNanos) {
        waiter = Thread.currentThread();
        wakeAt = target;
        try {
            long seen = delivered.get();
            long lastProgress = System.nanoTime();
            while (seen < target) {
                LockSupport.parkNanos(this, idleNanos);
                long now = delivered.get();
                if (now != seen) {
                    seen = now;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress >= idleNanos) {
                    break;
                }
            }
            return seen;
        } finally {
            wakeAt = Long.MAX_VALUE;
            waiter = null;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int mtu() {
        return 65535;
    }

    @Override
    public Optional<IpRange> address() {
        return Optional.of(address);
    }

    @Override
    public int read(ByteBuffer dst) throws ClosedChannelException, InterruptedIOException {
        try {
            toSend.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + name);
        }
        if (closed) {
            throw new ClosedChannelException();
        }
        dst.put(packet);
        return packet.length;
    }

    /**
     * Whether a released packet waits, so that {@link #read} returns at once: like a device with segmentation offload
     * that took many packets from the kernel in one read, which lets the node batch its sends.
     */
    @Override
    public boolean hasPending() {
        return toSend.availablePermits() > 0;
    }

    @Override
    public void write(ByteBuffer src) throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
        src.position(src.limit());
        // Only the packet that completes a batch wakes the waiting benchmark thread, so counting stays cheap.
        if (delivered.incrementAndGet() == wakeAt) {
            LockSupport.unpark(waiter);
        }
    }

    @Override
    public void close() {
        closed = true;
        toSend.release(Integer.MAX_VALUE / 2);
    }

    @Override
    public String toString() {
        return "CountingTunDevice[" + name + "]";
    }
}
