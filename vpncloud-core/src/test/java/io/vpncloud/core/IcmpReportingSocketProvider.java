package io.vpncloud.core;

import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.SendError;
import io.vpncloud.api.UdpSocket;
import io.vpncloud.api.UdpSocketProvider;
import io.vpncloud.core.net.JdkUdpSocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real UDP sockets (the JDK's, which see no ICMP) that report send errors the test makes up, as the Linux socket
 * reports the kernel's: {@link #forge} queues reports for an address whatever happens to it (an attacker's forged
 * ICMP), {@link #reportEverySendTo} answers every later datagram to an address with a report (the kernel of a host
 * whose process died). Counts the datagrams sent to each address. One node per provider.
 */
final class IcmpReportingSocketProvider implements UdpSocketProvider {
    private final ConcurrentLinkedQueue<SendError> reports = new ConcurrentLinkedQueue<>();
    private final Set<PeerAddress> deadPorts = ConcurrentHashMap.newKeySet();
    private final Map<PeerAddress, AtomicLong> sent = new ConcurrentHashMap<>();
    private volatile ReportingSocket socket;

    /** Queues {@code count} "port unreachable" reports for {@code destination} and wakes the receiving thread. */
    void forge(PeerAddress destination, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            reports.add(portUnreachable(destination));
        }
        socket.wakeReceiver();
    }

    /** From now on every datagram sent to {@code destination} draws a "port unreachable" report. */
    void reportEverySendTo(PeerAddress destination) {
        deadPorts.add(destination);
    }

    /** Datagrams the node sent to {@code destination} so far. */
    long sentTo(PeerAddress destination) {
        AtomicLong count = sent.get(destination);
        return count == null ? 0 : count.get();
    }

    private static SendError portUnreachable(PeerAddress destination) {
        return new SendError(destination, SendError.Kind.PORT_UNREACHABLE, Optional.of(destination.address()));
    }

    @Override
    public String name() {
        return "icmp-reporting";
    }

    @Override
    public UdpSocket bind(InetSocketAddress listen, int bufferBytes) throws IOException {
        socket = new ReportingSocket(JdkUdpSocket.bind(listen, bufferBytes));
        return socket;
    }

    private final class ReportingSocket extends ForwardingUdpSocket {
        ReportingSocket(UdpSocket socket) {
            super(socket);
        }

        /**
         * The node takes reports after each receive; an empty datagram to itself ends a waiting receive (the node
         * ignores empty datagrams from its own address, its own wake-up call).
         */
        void wakeReceiver() throws IOException {
            socket.send(ByteBuffer.allocate(0), socket.localAddress());
        }

        @Override
        public void send(ByteBuffer src, InetSocketAddress to) throws IOException {
            socket.send(src, to);
            PeerAddress destination = PeerAddress.of(to);
            sent.computeIfAbsent(destination, d -> new AtomicLong()).incrementAndGet();
            if (deadPorts.contains(destination)) {
                reports.add(portUnreachable(destination));
                wakeReceiver();
            }
        }

        @Override
        public SendError nextSendError() {
            return reports.poll();
        }
    }
}
