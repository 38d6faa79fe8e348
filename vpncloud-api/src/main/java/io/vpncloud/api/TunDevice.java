package io.vpncloud.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A layer-3 (TUN) device: the node reads outgoing IP packets from it and writes incoming ones to it.
 *
 * <p>Implementations must allow one thread to call {@link #read} while another calls {@link #write}.
 * {@link #close()} must wake a blocked reader, which then throws {@link java.nio.channels.ClosedChannelException}
 * (or another {@link IOException}).
 */
public interface TunDevice extends AutoCloseable {

    /** The interface name, for example {@code vpncloud0}. */
    String name();

    /** The largest IP packet this device carries. */
    int mtu();

    /**
     * The IPv4 address and prefix configured on the interface, if any; used for auto-claim.
     */
    Optional<IpRange> address();

    /**
     * Reads one IP packet into {@code dst}, starting at its position, and advances the position.
     * Blocks until a packet is available. Give {@code dst} at least {@link #mtu()} bytes of room: a kernel device
     * cuts a longer packet silently, so implementations may refuse a smaller buffer.
     *
     * @return the packet length
     * @throws IOException when the device is closed or fails
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Writes the packet between {@code src}'s position and limit as one IP packet, and advances the position.
     *
     * @throws IOException when the device is closed or fails
     */
    void write(ByteBuffer src) throws IOException;

    /** Closes the device; a blocked {@link #read} returns with an exception. */
    @Override
    void close() throws IOException;
}
