package io.vpncloud.tun.linux;

import com.sun.jna.Native;
import io.vpncloud.api.SendError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains a socket's error queue ({@code recvmsg(..., MSG_ERRQUEUE)}), where the kernel keeps the ICMP errors that
 * came back for datagrams the socket sent ({@code IP_RECVERR}, {@code IPV6_RECVERR}), into a
 * {@link SendErrorQueue}. An entry that is not such a report, or cannot be read, is dropped and counted.
 *
 * <p>The kernel also marks the socket with a pending error, which ends the next {@code recvmsg} or {@code sendmsg}
 * on it with that error (the first datagram call to see it, on whichever thread). Whoever sees it drains here;
 * the one native header is shared, so draining is serialised, which costs nothing while no errors come.
 */
final class SendErrorReader {

    /** Room for an {@code IPV6_RECVERR} message (60 bytes) and whatever else the kernel might add. */
    static final int CONTROL_CAPACITY = 256;
    /** Entries taken per drain at most, so that a stream of errors cannot hold the calling thread. */
    static final int MAX_PER_DRAIN = 256;

    private static final Logger LOG = LoggerFactory.getLogger(SendErrorReader.class);

    private final MessageHeader header = new MessageHeader(CONTROL_CAPACITY);
    private final SendErrorQueue queue;
    private long unreadable;

    SendErrorReader(SendErrorQueue queue) {
        this.queue = queue;
    }

    /**
     * Takes what the error queue of socket {@code fd} holds, without waiting. The caller holds the descriptor (see
     * {@link SocketDescriptor#enter()}).
     *
     * @return the number of entries taken, readable or not
     */
    synchronized int drain(int fd) {
        int taken = 0;
        while (taken < MAX_PER_DRAIN) {
            // The failed datagram's bytes come along as data; nothing here needs them, so they are cut off.
            header.setBuffer(header.address(), 0);
            header.setNameLength(MessageHeader.NAME_CAPACITY);
            header.setControlLength(CONTROL_CAPACITY);
            long result = SocketLibC.recvmsg(fd, header.address(), SocketLibC.MSG_ERRQUEUE | SocketLibC.MSG_DONTWAIT);
            if (result < 0) {
                if (Native.getLastError() == LibC.EINTR) {
                    continue;
                }
                return taken; // EAGAIN: the queue is empty
            }
            taken++;
            SendError error = SendErrorDecoder.decode(header, header.flags());
            if (error != null) {
                LOG.debug("the network reports {} for a datagram to {} (from {})", error.kind(),
                        error.destination(), error.reporter().map(Object::toString).orElse("?"));
                queue.put(error);
            } else {
                unreadable++;
                LOG.debug("ignored an entry of the UDP socket's error queue that is no ICMP error report");
            }
        }
        return taken;
    }

    /**
     * Whether a datagram call failing with {@code errno} may have been ended by the pending error of an ICMP report
     * (the kernel turns ICMP errors into these errno values), rather than by a problem of that call itself.
     */
    static boolean isReportedError(int errno) {
        return switch (errno) {
            case SocketLibC.ECONNREFUSED, SocketLibC.EHOSTUNREACH, SocketLibC.ENETUNREACH, SocketLibC.EHOSTDOWN,
                    SocketLibC.ENONET, SocketLibC.EPROTO, SocketLibC.ENOPROTOOPT, SocketLibC.EOPNOTSUPP,
                    SocketLibC.EMSGSIZE, LibC.EACCES -> true;
            default -> false;
        };
    }

    /** Error queue entries that were not readable ICMP error reports. */
    synchronized long unreadable() {
        return unreadable;
    }
}
