package io.vpncloud.tun.linux;

import com.sun.jna.Memory;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.SendError;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Reads one entry of a socket's error queue, as {@code recvmsg(..., MSG_ERRQUEUE)} left it in a
 * {@link MessageHeader}: the failed datagram's destination in the name, and a control message
 * {@code IP_RECVERR} (level {@code SOL_IP}) or {@code IPV6_RECVERR} (level {@code SOL_IPV6}) holding
 *
 * <pre>
 * struct sock_extended_err { u32 ee_errno; u8 ee_origin; u8 ee_type; u8 ee_code; u8 ee_pad;
 *                            u32 ee_info; u32 ee_data; }                              16 bytes
 * struct sockaddr_in / sockaddr_in6 offender                                          16 / 28 bytes
 * </pre>
 *
 * <p>Only errors that came as ICMP or ICMPv6 messages are reports about a destination; anything else (a local
 * error, a truncated or unexpected control message) is not decoded. The kernel should never send such, but if it
 * does, it costs that entry only.
 */
final class SendErrorDecoder {

    static final int SO_EE_ORIGIN_ICMP = 2;
    static final int SO_EE_ORIGIN_ICMP6 = 3;

    static final int EXTENDED_ERROR_SIZE = 16;

    private static final int ORIGIN = 4;
    private static final int TYPE = 5;
    private static final int CODE = 6;

    private static final int ICMP_DEST_UNREACH = 3;
    private static final int ICMP_HOST_UNREACH = 1;
    private static final int ICMP_PORT_UNREACH = 3;
    private static final int ICMP_HOST_UNKNOWN = 7;
    private static final int ICMP_HOST_ANO = 10;
    private static final int ICMP_HOST_UNR_TOS = 12;
    private static final int ICMPV6_DEST_UNREACH = 1;
    private static final int ICMPV6_ADDR_UNREACH = 3;
    private static final int ICMPV6_PORT_UNREACH = 4;

    private static final int AF_UNSPEC = 0;

    private SendErrorDecoder() {
    }

    /**
     * The report in {@code header} after a successful {@code recvmsg(..., MSG_ERRQUEUE)} that returned
     * {@code flags}, or null when the entry is not an ICMP error about a datagram or cannot be read.
     */
    static SendError decode(MessageHeader header, int flags) {
        if ((flags & SocketLibC.MSG_CTRUNC) != 0 || !holdsWholeAddress(header.memory(), header.nameOffset(),
                Math.min(header.nameLength(), MessageHeader.NAME_CAPACITY))) {
            return null;
        }
        int error = findExtendedError(header);
        if (error < 0) {
            return null;
        }
        Memory memory = header.memory();
        int origin = memory.getByte(error + ORIGIN) & 0xff;
        if (origin != SO_EE_ORIGIN_ICMP && origin != SO_EE_ORIGIN_ICMP6) {
            return null;
        }
        try {
            PeerAddress destination = PeerAddress.of(Sockaddr.read(memory, header.nameOffset()));
            int type = memory.getByte(error + TYPE) & 0xff;
            int code = memory.getByte(error + CODE) & 0xff;
            SendError.Kind kind = kind(origin, type, code);
            return new SendError(destination, kind, offender(header, error));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** What ICMP {@code type}/{@code code} (of ICMPv6 when {@code origin} says so) mean for the destination. */
    static SendError.Kind kind(int origin, int type, int code) {
        if (origin == SO_EE_ORIGIN_ICMP && type == ICMP_DEST_UNREACH) {
            return switch (code) {
                case ICMP_PORT_UNREACH -> SendError.Kind.PORT_UNREACHABLE;
                case ICMP_HOST_UNREACH, ICMP_HOST_UNKNOWN, ICMP_HOST_ANO, ICMP_HOST_UNR_TOS ->
                        SendError.Kind.HOST_UNREACHABLE;
                default -> SendError.Kind.OTHER;
            };
        }
        if (origin == SO_EE_ORIGIN_ICMP6 && type == ICMPV6_DEST_UNREACH) {
            return switch (code) {
                case ICMPV6_PORT_UNREACH -> SendError.Kind.PORT_UNREACHABLE;
                case ICMPV6_ADDR_UNREACH -> SendError.Kind.HOST_UNREACHABLE;
                default -> SendError.Kind.OTHER;
            };
        }
        return SendError.Kind.OTHER;
    }

    /**
     * The offset in the header's memory of the {@code sock_extended_err} of the first {@code IP_RECVERR} or
     * {@code IPV6_RECVERR} control message, or -1 when there is none or the control data is inconsistent.
     */
    private static int findExtendedError(MessageHeader header) {
        int end = Math.min(header.controlLength(), header.controlCapacity());
        int start = header.controlOffset();
        Memory memory = header.memory();
        int offset = 0;
        while (offset + MessageHeader.CMSG_HEADER_SIZE <= end) {
            long length = memory.getLong(start + offset);
            if (length < MessageHeader.CMSG_HEADER_SIZE || offset + length > end) {
                return -1;
            }
            int level = memory.getInt(start + offset + 8);
            int type = memory.getInt(start + offset + 12);
            boolean recvErr = level == SocketLibC.SOL_IP && type == SocketLibC.IP_RECVERR
                    || level == SocketLibC.IPPROTO_IPV6 && type == SocketLibC.IPV6_RECVERR;
            if (recvErr) {
                return length >= MessageHeader.CMSG_HEADER_SIZE + EXTENDED_ERROR_SIZE
                        ? start + offset + MessageHeader.CMSG_HEADER_SIZE : -1;
            }
            offset += MessageHeader.align((int) length);
        }
        return -1;
    }

    /** The ICMP sender after the extended error, when the control message holds a whole socket address. */
    private static Optional<InetAddress> offender(MessageHeader header, int error) throws IOException {
        Memory memory = header.memory();
        long room = memory.getLong(error - MessageHeader.CMSG_HEADER_SIZE) - MessageHeader.CMSG_HEADER_SIZE
                - EXTENDED_ERROR_SIZE;
        int address = error + EXTENDED_ERROR_SIZE;
        if (!holdsWholeAddress(memory, address, room)) {
            return Optional.empty();
        }
        return Optional.of(Sockaddr.read(memory, address).getAddress());
    }

    /** Whether the {@code length} bytes at {@code offset} hold a whole IPv4 or IPv6 socket address. */
    private static boolean holdsWholeAddress(Memory memory, int offset, long length) {
        int family = length >= Short.BYTES ? memory.getShort(offset) : AF_UNSPEC;
        return family == LibC.AF_INET && length >= Sockaddr.IPV4_SIZE
                || family == SocketLibC.AF_INET6 && length >= Sockaddr.IPV6_SIZE;
    }
}
