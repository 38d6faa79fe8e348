package io.vpncloud.tun.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * A {@code struct ifreq} in native memory: the interface name in the first 16 bytes, then a union used as
 * flags (short), MTU (int) or IPv4 {@code struct sockaddr_in}. Used only for set-up ioctls, never per packet.
 */
final class IfReq {

    private static final int NAME_SIZE = InterfaceName.MAX_BYTES + 1;
    /** 16 bytes of name plus the largest union member ({@code struct ifmap}, 24 bytes on 64-bit). */
    private static final int SIZE = 40;
    private static final int UNION = NAME_SIZE;
    /** {@code sockaddr_in}: family (native short), port (2 bytes), then the address in network order. */
    private static final int SOCKADDR_IN_ADDR = UNION + 4;

    private final Memory memory = new Memory(SIZE);

    /** An ifreq for the interface (or pattern) {@code name}. */
    IfReq(String name) throws TunDeviceException {
        memory.clear();
        byte[] bytes = InterfaceName.encode(name);
        memory.write(0, bytes, 0, bytes.length);
    }

    Pointer pointer() {
        return memory;
    }

    /** The name, as the kernel may have rewritten it (a pattern becomes the real name). */
    String name() {
        byte[] bytes = memory.getByteArray(0, NAME_SIZE);
        int length = 0;
        while (length < NAME_SIZE && bytes[length] != 0) {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    short flags() {
        return memory.getShort(UNION);
    }

    void setFlags(short flags) {
        memory.setShort(UNION, flags);
    }

    int intValue() {
        return memory.getInt(UNION);
    }

    void setIntValue(int value) {
        memory.setInt(UNION, value);
    }

    /** The IPv4 address of the union's {@code sockaddr_in}. */
    byte[] ipv4Address() {
        return memory.getByteArray(SOCKADDR_IN_ADDR, 4);
    }

    void setIpv4Address(byte[] address) {
        memory.setMemory(UNION, SIZE - UNION, (byte) 0);
        memory.setShort(UNION, (short) LibC.AF_INET);
        memory.write(SOCKADDR_IN_ADDR, address, 0, 4);
    }
}
