package io.vpncloud.core;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.TunDevice;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory TUN device: the application {@link #inject injects} IP packets as if its operating system had
 * sent them into the tunnel, and {@link #receive receives} the packets the node delivers from its peers.
 * For embedding a node in a process that handles IP packets itself, and for tests.
 *
 * <p>Both directions are bounded queues of {@code capacity} packets; when the node delivers faster than the
 * application receives, the oldest behaviour of a real device applies: the packet is dropped and counted.
 */
public final class MemoryTunDevice implements TunDevice {

    private static final byte[] CLOSED = new byte[0];

    private final String name;
    private final int mtu;
    private final Optional<IpRange> address;
    private final BlockingQueue<byte[]> toNode;
    private final BlockingQueue<byte[]> fromNode;
    private volatile boolean closed;
    private volatile long dropped;

    /**
     * @param name     the device name to report
     * @param address  the IPv4 address and prefix of the device, used for auto-claim (may be null)
     * @param mtu      the largest packet
     * @param capacity packets buffered in each direction
     */
    public MemoryTunDevice(String name, IpRange address, int mtu, int capacity) {
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("mtu must be 68..65535: " + mtu);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.name = name;
        this.mtu = mtu;
        this.address = Optional.ofNullable(address);
        this.toNode = new ArrayBlockingQueue<>(capacity);
        this.fromNode = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * A device with the given address (auto-claimed by the node), MTU 1427 and room for 4096 packets each way.
     *
     * @param name the device name, for logs and status
     * @param address the device's address and prefix, or null for none
     */
    public MemoryTunDevice(String name, IpRange address) {
        this(name, address, 1427, 4096);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public Optional<IpRange> address() {
        return address;
    }

    /**
     * Hands a packet to the node, as if the host had routed it into the tunnel. Blocks while the queue is full.
     *
     * @param packet an IP packet (copied)
     * @throws ClosedChannelException when the device is closed
     * @throws InterruptedException when interrupted while the queue is full
     */
    public void inject(byte[] packet) throws IOException, InterruptedException {
        if (packet.length > mtu) {
            throw new IllegalArgumentException("packet of " + packet.length + " bytes exceeds mtu " + mtu);
        }
        if (closed) {
            throw new ClosedChannelException();
        }
        toNode.put(packet.clone());
    }

    /**
     * The next packet the node delivered, waiting at most {@code timeout}; empty when none arrived.
     *
     * @param timeout how long to wait
     * @return the packet, or empty
     * @throws InterruptedException when interrupted while waiting
     */
    public Optional<byte[]> receive(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(fromNode.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    /**
     * Packets the node delivered while the receive queue was full.
     *
     * @return the number of packets dropped
     */
    public long droppedPackets() {
        return dropped;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        byte[] packet;
        try {
            packet = toNode.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading " + name);
        }
        if (packet == CLOSED || closed) {
            throw new ClosedChannelException();
        }
        dst.put(packet);
        return packet.length;
    }

    /** Whether a packet handed to the node waits in the queue, so that a read returns at once. */
    @Override
    public boolean hasPending() {
        return !toNode.isEmpty();
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        byte[] packet = new byte[src.remaining()];
        src.get(packet);
        if (!fromNode.offer(packet)) {
            dropped++;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            toNode.clear();
            toNode.offer(CLOSED);
        }
    }

    @Override
    public String toString() {
        return "MemoryTunDevice[" + name + "]";
    }
}
