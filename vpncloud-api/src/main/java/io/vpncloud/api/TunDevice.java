package io.vpncloud.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * A virtual network device: the node reads outgoing packets from it and writes incoming ones to it. A
 * {@linkplain DeviceType#TUN TUN} device carries IP packets, a {@linkplain DeviceType#TAP TAP} device Ethernet
 * frames; "packet" below means either.
 *
 * <p>Implementations must allow one thread to call {@link #read} while another calls {@link #write}.
 * {@link #close()} must wake a blocked reader, which then throws {@link java.nio.channels.ClosedChannelException}
 * (or another {@link IOException}).
 */
public interface TunDevice extends AutoCloseable {

    /**
     * The interface name, for example {@code vpncloud0}.
     *
     * @return the name the device got
     */
    String name();

    /**
     * What this device carries: IP packets or Ethernet frames.
     *
     * @return the device type; the default is {@link DeviceType#TUN}
     */
    default DeviceType type() {
        return DeviceType.TUN;
    }

    /**
     * The largest IP packet this device carries (for a TAP device: without the 14-byte Ethernet header).
     *
     * @return the MTU in bytes
     */
    int mtu();

    /**
     * The IPv4 address and prefix configured on the interface, if any; used for auto-claim.
     *
     * @return the address and prefix, or empty
     */
    Optional<IpRange> address();

    /**
     * Reads one packet into {@code dst}, starting at its position, and advances the position.
     * Blocks until a packet is available. Give {@code dst} at least {@link #mtu()} bytes of room (a TAP device
     * {@code mtu() + 18}, for the Ethernet header and an 802.1Q tag): a kernel device cuts a longer packet
     * silently, so implementations may refuse a smaller buffer.
     *
     * @param dst where the packet goes, from its position on
     * @return the packet length
     * @throws IOException when the device is closed or fails
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Whether this device can read without waiting ({@link #readIfReady}) and wait without reading
     * ({@link #awaitReadable}). A node then lets the thread that writes to the device also send on, at once, what
     * the device answers right away (a ping reply the kernel made during the write), instead of waking its
     * sending thread for it: one thread hand-off less per answered packet.
     *
     * @return true when {@link #readIfReady} and {@link #awaitReadable} work; the default is false
     */
    default boolean readsWithoutWaiting() {
        return false;
    }

    /**
     * Reads one packet into {@code dst} like {@link #read}, but only if one is ready; never waits. Only for
     * devices whose {@link #readsWithoutWaiting()} is true. Callers make sure that only one thread reads at a time.
     *
     * @param dst where the packet goes, from its position on (room as for {@link #read})
     * @return the packet length, or -1 when no packet is ready
     * @throws IOException when the device is closed or fails
     * @throws UnsupportedOperationException when {@link #readsWithoutWaiting()} is false
     */
    default int readIfReady(ByteBuffer dst) throws IOException {
        throw new UnsupportedOperationException(getClass().getName() + " cannot read without waiting");
    }

    /**
     * Waits until a packet is ready to be read, without reading it; returns at once when one is (also one that
     * {@link #hasPending()} holds). It may return spuriously: another thread may have read the packet meanwhile.
     * Only for devices whose {@link #readsWithoutWaiting()} is true.
     *
     * @throws IOException when the device is closed (a waiting thread is woken by {@link #close()}) or fails
     * @throws UnsupportedOperationException when {@link #readsWithoutWaiting()} is false
     */
    default void awaitReadable() throws IOException {
        throw new UnsupportedOperationException(getClass().getName() + " cannot wait without reading");
    }

    /**
     * Writes the packet between {@code src}'s position and limit as one packet, and advances the position.
     *
     * @param src the packet
     * @throws IOException when the device is closed or fails
     */
    void write(ByteBuffer src) throws IOException;

    /**
     * Whether a packet is already waiting inside this object, so that the next {@link #read} returns it without
     * asking the kernel and without blocking. A device with TCP segmentation offload takes a whole TCP segment of
     * up to 64 KiB from the kernel at once and hands it out as MTU-sized packets; a caller that collects its own
     * output into batches sends a batch when this turns false.
     *
     * @return true when the next read does not block; the default is false
     */
    default boolean hasPending() {
        return false;
    }

    /**
     * Hands over what {@link #write} kept back. A device with TCP receive offload merges consecutive packets of
     * one TCP connection into one large segment before passing it to the kernel; callers call this whenever no
     * further packet is about to follow at once (for example before waiting for the network), so nothing is
     * held back while the caller waits. Devices that keep nothing back do nothing.
     *
     * @throws IOException when the device is closed or fails
     */
    default void flush() throws IOException {
    }

    /**
     * Whether {@link #flush()} may have something to hand over: false only when nothing {@link #write} took is kept
     * back. A caller about to wait (for the network, say) flushes first only when this is true, so a device that
     * keeps nothing back costs it no extra turn before each wait. The default, true, suits any device that does not
     * tell: the caller then flushes before every wait.
     *
     * @return false when nothing written is kept back; the default is true
     */
    default boolean mayHoldWrites() {
        return true;
    }

    /**
     * Two connected throw-away devices of this device's own implementation and settings (type, offloads), joined to
     * each other instead of to an interface: what one writes, the other reads. A starting node sends synthetic
     * packets through them to get its data path compiled before real traffic comes; nothing else sees them, and the
     * caller closes both. Implementations without such a pair return empty (the default); the node then warms up
     * with in-memory devices, which leaves this device's own code to be compiled by the first real packets.
     *
     * @return two connected devices, or empty
     * @throws IOException when the implementation has such pairs but could not make one
     */
    default Optional<List<TunDevice>> warmUpPair() throws IOException {
        return Optional.empty();
    }

    /** Closes the device; a blocked {@link #read} returns with an exception. */
    @Override
    void close() throws IOException;
}
