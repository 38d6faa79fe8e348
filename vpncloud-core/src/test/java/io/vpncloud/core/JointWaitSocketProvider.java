package io.vpncloud.core;

import io.vpncloud.api.TunDevice;
import io.vpncloud.api.UdpSocket;
import io.vpncloud.api.UdpSocketProvider;
import io.vpncloud.core.net.JdkUdpSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Real UDP sockets (the JDK's) that can wait for a datagram or an {@link AnsweringDevice}'s packet at once, as the
 * Linux socket does with its TUN device ({@link UdpSocket#awaitDatagramOrPacket}). A thread of each socket receives
 * into a queue, so that the receive thread can ask without waiting; the joint wait looks at the queue and the device
 * every 0.2 ms (a test double: the real one is a single {@code poll(2)}).
 */
final class JointWaitSocketProvider implements UdpSocketProvider {
    @Override
    public String name() {
        return "joint-wait";
    }

    @Override
    public UdpSocket bind(InetSocketAddress listen, int bufferBytes) throws IOException {
        return new JointWaitSocket(JdkUdpSocket.bind(listen, bufferBytes));
    }

    private record Datagram(InetSocketAddress from, byte[] bytes) {
    }

    private static final class JointWaitSocket extends ForwardingUdpSocket {
        /** Marks the end: the socket was closed. */
        private static final Datagram CLOSED = new Datagram(null, new byte[0]);
        private final BlockingQueue<Datagram> received = new LinkedBlockingQueue<>();

        JointWaitSocket(UdpSocket socket) {
            super(socket);
            Thread receiver = new Thread(this::receiveForever, "joint-wait-socket");
            receiver.setDaemon(true);
            receiver.start();
        }

        private void receiveForever() {
            ByteBuffer buffer = ByteBuffer.allocate(65536);
            try {
                while (true) {
                    InetSocketAddress from = socket.receive(buffer.clear(), true);
                    byte[] bytes = new byte[buffer.flip().remaining()];
                    buffer.get(bytes);
                    received.add(new Datagram(from, bytes));
                }
            } catch (IOException closed) {
                received.add(CLOSED);
            }
        }

        @Override
        public boolean canAwaitWith(TunDevice device) {
            return device instanceof AnsweringDevice;
        }

        @Override
        public int awaitDatagramOrPacket(TunDevice device) throws IOException {
            while (true) {
                int ready = (received.isEmpty() ? 0 : DATAGRAM_READY)
                        | (((AnsweringDevice) device).hasPacket() ? PACKET_READY : 0);
                if (ready != 0) {
                    return ready;
                }
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
            }
        }

        @Override
        public InetSocketAddress receive(ByteBuffer dst, boolean wait) throws IOException {
            Datagram datagram;
            try {
                datagram = wait ? received.take() : received.poll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while receiving");
            }
            if (datagram == null) {
                return null;
            }
            if (datagram == CLOSED) {
                received.add(CLOSED);
                throw new ClosedChannelException();
            }
            dst.put(datagram.bytes());
            return datagram.from();
        }
    }
}
