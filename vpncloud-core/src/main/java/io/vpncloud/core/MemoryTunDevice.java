package io.vpncloud.core;

import io.vpncloud.api.DeviceType;
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
 * An in-memory TUN or TAP device: the application {@link #inject injects} IP packets (TUN) or Ethernet frames (TAP)
 * as if its operating system had sent them into the tunnel, and {@link #receive receives} what the node delivers
 * from its peers. For embedding a node in a process that handles packets or frames itself, and for tests.
 *
 * <p>Both directions are bounded queues of {@code capacity} packets; when the node delivers faster than the
 * application receives, the oldest behaviour of a real device applies: the packet is dropped and counted.
 */
public final class MemoryTunDevice implements TunDevice {

    private static final byte[] CLOSED = new byte[0];

    /** The Ethernet header with an 802.1Q tag: what a TAP frame may carry beyond the MTU. */
    private static final int TAGGED_ETHERNET_HEADER = 18;
    /** The default MTU of a TUN device; a TAP device's is 14 bytes less, so its frames fit the same datagrams. */
    private static final int DEFAULT_TUN_MTU = 1427;
    private static final int DEFAULT_TAP_MTU = DEFAULT_TUN_MTU - 14;

    private final String name;
    private final DeviceType type;
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
        this(name, address, mtu, capacity, DeviceType.TUN);
    }

    /**
     * @param name     the device name to report
     * @param address  the IPv4 address and prefix of the device, used for auto-claim with TUN (may be null)
     * @param mtu      the largest IP packet; a TAP device takes frames of up to {@code mtu} + 18 bytes (Ethernet
     *                 header with an 802.1Q tag)
     * @param capacity packets or frames buffered in each direction
     * @param type     TUN (IP packets) or TAP (Ethernet frames)
     */
    public MemoryTunDevice(String name, IpRange address, int mtu, int capacity, DeviceType type) {
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
        this.type = type;
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
        this(name, address, DEFAULT_TUN_MTU, 4096);
    }

    /**
     * An in-memory TAP device: Ethernet frames, MTU 1413 (14 bytes less than a TUN device's, for the Ethernet
     * header), room for 4096 frames each way, no address.
     *
     * @param name the device name, for logs and status
     * @return the device
     */
    public static MemoryTunDevice tap(String name) {
        return new MemoryTunDevice(name, null, DEFAULT_TAP_MTU, 4096, DeviceType.TAP);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DeviceType type() {
        return type;
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
     * @param packet an IP packet, or for a TAP device an Ethernet frame (copied)
     * @throws IllegalArgumentException when it is longer than the MTU (TAP: the MTU + 18)
     * @throws ClosedChannelException when the device is closed
     * @throws InterruptedException when interrupted while the queue is full
     */
    public void inject(byte[] packet) throws IOException, InterruptedException {
        int largest = type == DeviceType.TAP ? mtu + TAGGED_ETHERNET_HEADER : mtu;
        if (packet.length > largest) {
            throw new IllegalArgumentException("packet of " + packet.length + " bytes exceeds mtu " + mtu
                    + (type == DeviceType.TAP ? " + " + TAGGED_ETHERNET_HEADER : ""));
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

    /** Writes go to the queue at once: nothing is kept back. */
    @Override
    public boolean mayHoldWrites() {
        return false;
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
        return "MemoryTunDevice[" + name + ", " + type + "]";
    }
}
