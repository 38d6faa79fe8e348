package io.vpncloud.tun.linux;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.TunDevice;
import io.vpncloud.api.TunDeviceConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Linux TUN device ({@code IFF_TUN | IFF_NO_PI}): each read returns one IP packet, each write sends one.
 *
 * <p>Direct {@link ByteBuffer}s are the fast path: the kernel reads and writes their memory in place and
 * nothing is allocated per packet. Heap buffers are copied through a native buffer each thread reuses.
 * One thread may read while others write; {@link #close()} wakes a blocked reader, which then throws
 * {@link java.nio.channels.AsynchronousCloseException}. Thread interrupts do not wake it.
 *
 * <p>Creating the device needs root or {@code CAP_NET_ADMIN}. Closing it deletes the interface (the kernel does
 * that for a non-persistent TUN device whose last descriptor closes) and nothing else.
 */
public final class LinuxTunDevice implements TunDevice {

    private static final Logger LOG = LoggerFactory.getLogger(LinuxTunDevice.class);

    private final TunFile file;
    private final int mtu;
    private final DirectBufferAddress readBuffer = new DirectBufferAddress();
    private final DirectBufferAddress writeBuffer = new DirectBufferAddress();

    private LinuxTunDevice(TunFile file, int mtu) {
        this.file = file;
        this.mtu = mtu;
    }

    /**
     * Creates a TUN interface and configures it as the reference does: the MTU (the configured one, or the
     * default-route device's minus 73, or 1427 without a default route), then the IPv4 address and netmask
     * and the up flag if an address is given, then the reverse-path filter if asked.
     *
     * @throws TunDeviceException saying what to do, for example when root or {@code CAP_NET_ADMIN} is missing
     * @throws IllegalArgumentException when the configured address is not IPv4
     */
    public static LinuxTunDevice open(TunDeviceConfig config) throws TunDeviceException {
        String problem = LinuxTunSupport.platformProblem();
        if (!problem.isEmpty()) {
            throw new TunDeviceException(TunDeviceException.Reason.UNSUPPORTED_PLATFORM, 0, problem);
        }
        config.address().ifPresent(LinuxTunDevice::requireIpv4);
        TunFile file = TunFile.open(config.name());
        try (InterfaceControl control = new InterfaceControl()) {
            int mtu = configureMtu(control, file.name(), config.mtu());
            if (config.address().isPresent()) {
                control.setIpv4Address(file.name(), config.address().get());
                control.setUp(file.name());
            }
            checkRpFilter(file.name(), config.fixRpFilter());
            LOG.info("Opened TUN device {} (MTU {}, address {})", file.name(), mtu,
                    config.address().map(IpRange::toString).orElse("none"));
            return new LinuxTunDevice(file, mtu);
        } catch (TunDeviceException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return file.name();
    }

    /** The MTU set when the device was opened. */
    @Override
    public int mtu() {
        return mtu;
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
     * <p>{@code dst} must have at least {@link #mtu()} bytes remaining, because the kernel silently cuts a
     * packet that does not fit (so after raising the MTU from outside, give more room).
     *
     * @throws IllegalArgumentException when {@code dst} has less than {@link #mtu()} bytes remaining
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        if (dst.remaining() < mtu) {
            throw new IllegalArgumentException("reading from " + name() + " needs a buffer with at least the MTU ("
                    + mtu + " bytes) remaining, not " + dst.remaining());
        }
        int position = dst.position();
        int length;
        if (dst.isDirect()) {
            length = file.read(readBuffer.of(dst) + position, dst.remaining());
        } else {
            NativeScratch scratch = NativeScratch.current();
            length = file.read(scratch.packetAddress, Math.min(dst.remaining(), NativeScratch.PACKET_CAPACITY));
            scratch.packet.read(0, dst.array(), dst.arrayOffset() + position, length);
        }
        dst.position(position + length);
        return length;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        int position = src.position();
        int length = src.remaining();
        if (src.isDirect()) {
            file.write(writeBuffer.of(src) + position, length);
        } else {
            if (length > NativeScratch.PACKET_CAPACITY) {
                throw new IOException("a packet of " + length + " bytes is larger than any IP packet");
            }
            NativeScratch scratch = NativeScratch.current();
            copy(src, scratch);
            file.write(scratch.packetAddress, length);
        }
        src.position(position + length);
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

    private static void copy(ByteBuffer src, NativeScratch scratch) {
        int position = src.position();
        if (src.hasArray()) {
            scratch.packet.write(0, src.array(), src.arrayOffset() + position, src.remaining());
        } else {
            // A read-only heap buffer hides its array; absolute gets copy it without allocating.
            for (int i = 0; i < src.remaining(); i++) {
                scratch.packet.setByte(i, src.get(position + i));
            }
        }
    }

    /** Sets the configured or default MTU; as in the reference, failing to set the default only warns. */
    private static int configureMtu(InterfaceControl control, String name, int configuredMtu)
            throws TunDeviceException {
        int wanted = configuredMtu != 0 ? configuredMtu : DefaultMtu.lookUp(control);
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
            throw new IllegalArgumentException("only an IPv4 address can be put on a TUN device, not " + address);
        }
    }
}
