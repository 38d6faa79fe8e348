package io.vpncloud.tun.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import io.vpncloud.api.IpRange;
import java.util.Optional;

/**
 * Reads and changes an interface's MTU, IPv4 address, netmask and up flag through ioctls on an
 * {@code AF_INET} datagram socket, the way {@code ifconfig} does. Set-up only; holds one socket until closed.
 */
final class InterfaceControl implements AutoCloseable {

    private static final NativeLong SIOCGIFFLAGS = new NativeLong(0x8913);
    private static final NativeLong SIOCSIFFLAGS = new NativeLong(0x8914);
    private static final NativeLong SIOCGIFADDR = new NativeLong(0x8915);
    private static final NativeLong SIOCSIFADDR = new NativeLong(0x8916);
    private static final NativeLong SIOCGIFNETMASK = new NativeLong(0x891b);
    private static final NativeLong SIOCSIFNETMASK = new NativeLong(0x891c);
    private static final NativeLong SIOCGIFMTU = new NativeLong(0x8921);
    private static final NativeLong SIOCSIFMTU = new NativeLong(0x8922);
    private static final short IFF_UP = 0x1;

    private final int socket;

    InterfaceControl() throws TunDeviceException {
        socket = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        if (socket < 0) {
            throw TunDeviceException.systemError("opening a socket for interface configuration", Native.getLastError());
        }
    }

    int mtu(String name) throws TunDeviceException {
        IfReq request = new IfReq(name);
        call(SIOCGIFMTU, request, "reading the MTU of " + name);
        return request.intValue();
    }

    void setMtu(String name, int mtu) throws TunDeviceException {
        IfReq request = new IfReq(name);
        request.setIntValue(mtu);
        call(SIOCSIFMTU, request, "setting MTU " + mtu + " on " + name);
    }

    /** Puts {@code range} on the interface: its address, then the netmask of its prefix length. */
    void setIpv4Address(String name, IpRange range) throws TunDeviceException {
        IfReq address = new IfReq(name);
        address.setIpv4Address(range.address());
        call(SIOCSIFADDR, address, "setting address " + range.inetAddress().getHostAddress() + " on " + name);
        IfReq netmask = new IfReq(name);
        netmask.setIpv4Address(Netmasks.fromPrefixLength(range.prefixLength()));
        call(SIOCSIFNETMASK, netmask, "setting netmask /" + range.prefixLength() + " on " + name);
    }

    /** The interface's primary IPv4 address and prefix length, or empty when it has none. */
    Optional<IpRange> ipv4Address(String name) throws TunDeviceException {
        IfReq address = new IfReq(name);
        if (LibC.ioctl(socket, SIOCGIFADDR, address.pointer()) < 0) {
            int errno = Native.getLastError();
            if (errno == LibC.EADDRNOTAVAIL) {
                return Optional.empty();
            }
            throw TunDeviceException.systemError("reading the address of " + name, errno);
        }
        IfReq netmask = new IfReq(name);
        call(SIOCGIFNETMASK, netmask, "reading the netmask of " + name);
        return Optional.of(new IpRange(address.ipv4Address(), Netmasks.toPrefixLength(netmask.ipv4Address())));
    }

    void setUp(String name) throws TunDeviceException {
        IfReq request = new IfReq(name);
        call(SIOCGIFFLAGS, request, "reading the flags of " + name);
        request.setFlags((short) (request.flags() | IFF_UP));
        call(SIOCSIFFLAGS, request, "bringing " + name + " up");
    }

    private void call(NativeLong ioctl, IfReq request, String action) throws TunDeviceException {
        if (LibC.ioctl(socket, ioctl, request.pointer()) < 0) {
            int errno = Native.getLastError();
            if (errno == LibC.EPERM || errno == LibC.EACCES) {
                throw TunDeviceException.permissionDenied(action, errno);
            }
            throw TunDeviceException.systemError(action, errno);
        }
    }

    @Override
    public void close() {
        LibC.close(socket);
    }
}
