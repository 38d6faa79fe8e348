package io.vpncloud.tun.linux;

import io.vpncloud.api.DeviceType;
import io.vpncloud.api.IpRange;
import io.vpncloud.api.TunDevice;
import io.vpncloud.api.TunDeviceConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Linux TUN device ({@code IFF_TUN | IFF_NO_PI}): each read returns one IP packet, each write sends one; or,
 * with {@link DeviceType#TAP}, a TAP device ({@code IFF_TAP | IFF_NO_PI}) whose reads and writes are whole
 * Ethernet frames (with an 802.1Q tag where the sender added one). A TAP device's {@link #mtu()} is, as for any
 * Ethernet interface, the largest IP packet; its frames are up to 18 bytes longer.
 *
 * <p>With {@link TunDeviceConfig#offload()} (and a kernel that agrees) the device also uses TCP segmentation and
 * receive offload ({@code IFF_VNET_HDR}, {@code TUNSETOFFLOAD}): the kernel hands over and takes TCP segments of
 * up to 64 KiB, so a bulk TCP transfer costs one system call per 64 KiB instead of one per packet, while reads
 * still return and writes still take ordinary packets no bigger than the MTU. Then one thread reads and one
 * other thread writes and {@link #flush()}es; a write may be kept back until the next write or flush. A TAP
 * device does the same for TCP in Ethernet frames; frames with an 802.1Q tag are cut apart on reads but written
 * one by one.
 *
 * <p>Without offload, direct {@link ByteBuffer}s are the fast path: the kernel reads and writes their memory in
 * place. Heap buffers are copied through a native buffer each thread reuses. One thread may read while others
 * write. Either way nothing is allocated per packet, and {@link #close()} wakes a blocked reader, which then
 * throws {@link java.nio.channels.AsynchronousCloseException}. Thread interrupts do not wake it.
 *
 * <p>Creating the device needs root or {@code CAP_NET_ADMIN}. Closing it deletes the interface (the kernel does
 * that for a non-persistent TUN or TAP device whose last descriptor closes) and nothing else.
 */
public final class LinuxTunDevice implements TunDevice {

    private static final Logger LOG = LoggerFactory.getLogger(LinuxTunDevice.class);

    private final TunFile file;
    private final int mtu;
    private final OffloadCounters offloadCounters = new OffloadCounters();
    private final PacketIo io;

    private LinuxTunDevice(TunFile file, int mtu) {
        this.file = file;
        this.mtu = mtu;
        this.io = file.offload() ? new OffloadPacketIo(file, offloadCounters) : new PlainPacketIo(file);
    }

    /**
     * Creates a TUN or TAP interface (as {@link TunDeviceConfig#type()} says) and configures it as the reference
     * does: the MTU (the configured one, or the default-route device's minus 73, or 1427 without a default route;
     * for TAP 14 less for the Ethernet header), then the IPv4 address and netmask and the up flag if an address is
     * given, then the reverse-path filter if asked. Asks for TCP offloads when the config says so; a kernel that
     * refuses them gets a plain device and one log line.
     *
     * @param config name, type, address, MTU and options
     * @throws TunDeviceException saying what to do, for example when root or {@code CAP_NET_ADMIN} is missing
     * @throws IllegalArgumentException when the configured address is not IPv4
     * @return the open device
     */
    public static LinuxTunDevice open(TunDeviceConfig config) throws TunDeviceException {
        String problem = LinuxTunSupport.platformProblem();
        if (!problem.isEmpty()) {
            throw new TunDeviceException(TunDeviceException.Reason.UNSUPPORTED_PLATFORM, 0, problem);
        }
        config.address().ifPresent(LinuxTunDevice::requireIpv4);
        TunFile file = TunFile.open(config.name(), config.type(), config.offload());
        try (InterfaceControl control = new InterfaceControl()) {
            int mtu = configureMtu(control, file.name(), config.mtu(), config.type());
            if (config.address().isPresent()) {
                control.setIpv4Address(file.name(), config.address().get());
                control.setUp(file.name());
            }
            checkRpFilter(file.name(), config.fixRpFilter());
            LOG.info("Opened {} device {} (MTU {}, address {}, TCP offloads {})", config.type(), file.name(), mtu,
                    config.address().map(IpRange::toString).orElse("none"), file.offload() ? "on" : "off");
            return new LinuxTunDevice(file, mtu);
        } catch (TunDeviceException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Two devices of this class with this device's type, MTU and offloads, over a Unix socket pair instead of the
     * TUN driver, so the warm-up runs the very code (and native calls) the device's packets take.
     */
    @Override
    public Optional<List<TunDevice>> warmUpPair() throws TunDeviceException {
        return Optional.of(pair(file.type(), file.offload(), mtu));
    }

    /** Two devices of this class joined by a Unix socket pair; see {@link #warmUpPair()}. */
    static List<TunDevice> pair(DeviceType type, boolean offload, int mtu) throws TunDeviceException {
        TunFile[] files = TunFile.pair(type, offload);
        return List.of(new LinuxTunDevice(files[0], mtu), new LinuxTunDevice(files[1], mtu));
    }

    @Override
    public String name() {
        return file.name();
    }

    /** Whether this device carries IP packets (TUN) or Ethernet frames (TAP). */
    @Override
    public DeviceType type() {
        return file.type();
    }

    /** The MTU set when the device was opened: the largest IP packet, for TAP without the Ethernet header. */
    @Override
    public int mtu() {
        return mtu;
    }

    /**
     * Whether the device uses TCP segmentation and receive offload.
     *
     * @return true when the kernel accepted the offloads
     */
    public boolean offload() {
        return file.offload();
    }

    /**
     * The interface's current IPv4 address and prefix length, asked from the kernel on each call (so an
     * address set later, for example by an ifup script, counts); empty when it has none or is closed.
     */
    @Override
    public Optional<IpRange> address() {
        try (InterfaceControl control = new InterfaceControl()) {
            return control.ipv4Address(file.name());
        } catch (TunDeviceException e) {
            LOG.debug("No IPv4 address for {}: {}", file.name(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code dst} must have at least {@link #mtu()} bytes remaining (a TAP device: {@link #mtu()} + 18, for
     * the Ethernet header with an 802.1Q tag), because the kernel silently cuts a packet that does not fit (so
     * after raising the MTU from outside, give more room).
     *
     * @throws IllegalArgumentException when {@code dst} has less room than that
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        checkRoom(dst);
        return io.read(dst);
    }

    /** {@inheritDoc} True: the descriptor is non-blocking. */
    @Override
    public boolean readsWithoutWaiting() {
        return true;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when {@code dst} has less room than {@link #read} needs
     */
    @Override
    public int readIfReady(ByteBuffer dst) throws IOException {
        checkRoom(dst);
        return io.readIfReady(dst);
    }

    @Override
    public void awaitReadable() throws IOException {
        io.awaitReadable();
    }

    /**
     * Waits until a packet can be read or the socket {@code socketFd} is readable ({@link LinuxUdpSocket}'s
     * {@code awaitDatagramOrPacket}): the {@link TunFile#awaitReadableWith} bits.
     */
    int awaitReadableWith(int socketFd) throws IOException {
        return io.awaitReadableWith(socketFd);
    }

    private void checkRoom(ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        int needed = readRoom();
        if (dst.remaining() < needed) {
            throw new IllegalArgumentException("reading from " + name() + " needs a buffer with at least "
                    + (needed == mtu ? "the MTU (" : "the MTU + 18 (") + needed + " bytes) remaining, not "
                    + dst.remaining());
        }
    }

    /** {@inheritDoc} True while segments of a TCP super-packet read from the kernel remain. */
    @Override
    public boolean hasPending() {
        return io.hasPending();
    }

    /**
     * {@inheritDoc}
     *
     * <p>With offloads, a TCP data segment is kept back so the next ones of its connection can join it, until a
     * packet that cannot join arrives or {@link #flush()} is called.
     */
    @Override
    public void write(ByteBuffer src) throws IOException {
        io.write(src);
    }

    @Override
    public void flush() throws IOException {
        io.flush();
    }

    /** {@inheritDoc} True only with offloads, while a TCP segment waits for the next ones of its connection. */
    @Override
    public boolean mayHoldWrites() {
        return io.holdsWrites();
    }

    /** Closes the device, which removes the interface; a blocked {@link #read} throws. */
    @Override
    public void close() {
        file.close();
    }

    @Override
    public String toString() {
        return "LinuxTunDevice[" + file.name() + "]";
    }

    /** What the offload paths did so far (all zero without offloads). */
    OffloadCounters offloadCounters() {
        return offloadCounters;
    }

    /** The room a read needs: the largest packet or frame the device may hand over. */
    private int readRoom() {
        return file.type() == DeviceType.TAP ? mtu + EthernetHeader.TAGGED_LENGTH : mtu;
    }

    /** Sets the configured or default MTU; as in the reference, failing to set the default only warns. */
    private static int configureMtu(InterfaceControl control, String name, int configuredMtu, DeviceType type)
            throws TunDeviceException {
        int wanted = configuredMtu != 0 ? configuredMtu : DefaultMtu.lookUp(control, type);
        try {
            control.setMtu(name, wanted);
        } catch (TunDeviceException e) {
            if (configuredMtu != 0) {
                throw e;
            }
            LOG.warn("Cannot set the default MTU {} on {}: {}", wanted, name, e.getMessage());
        }
        return control.mtu(name);
    }

    /** Fixes rp_filter if asked, then warns like the reference when it is not strict. */
    private static void checkRpFilter(String name, boolean fix) throws TunDeviceException {
        RpFilter rpFilter = RpFilter.system();
        try {
            if (fix) {
                rpFilter.fix(name);
            }
            int value = rpFilter.effective(name);
            if (value != RpFilter.STRICT) {
                LOG.warn("rp_filter of {} is {}, not 1: the host may be open to CVE-2019-14899;"
                        + " set it to 1 or enable the rp_filter fix", name, value);
            }
        } catch (IOException e) {
            if (fix) {
                throw new TunDeviceException(TunDeviceException.Reason.SYSTEM_ERROR, 0,
                        "setting rp_filter of " + name + " to 1 failed: " + e.getMessage());
            }
            LOG.debug("Cannot read rp_filter of {}: {}", name, e.getMessage());
        }
    }

    private static void requireIpv4(IpRange address) {
        if (address.addressLength() != 4) {
            throw new IllegalArgumentException("only an IPv4 address can be put on the device, not " + address);
        }
    }
}
