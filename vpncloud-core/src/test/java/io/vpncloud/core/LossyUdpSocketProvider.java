package io.vpncloud.core;

import io.vpncloud.api.UdpSocket;
import io.vpncloud.api.UdpSocketProvider;
import io.vpncloud.core.net.JdkUdpSocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real UDP sockets (the JDK's) that lose a share of the datagrams both ways once {@link #startLosing()} is called:
 * a datagram to send is dropped instead of sent, a received one is dropped instead of handed over. The choice is
 * random with a fixed seed. Counts what passed and what was lost, so that a test can check the loss it got.
 */
final class LossyUdpSocketProvider implements UdpSocketProvider {
    private final double lossRate;
    private final Random sendRandom;
    private final Random receiveRandom;
    private volatile boolean losing;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong lostSending = new AtomicLong();
    final AtomicLong received = new AtomicLong();
    final AtomicLong lostReceiving = new AtomicLong();

    LossyUdpSocketProvider(double lossRate, long seed) {
        this.lossRate = lossRate;
        this.sendRandom = new Random(seed);
        this.receiveRandom = new Random(seed + 1);
    }

    /** From now on datagrams are lost. */
    void startLosing() {
        losing = true;
    }

    @Override
    public String name() {
        return "lossy";
    }

    @Override
    public UdpSocket bind(InetSocketAddress listen, int bufferBytes) throws IOException {
        return new LossySocket(JdkUdpSocket.bind(listen, bufferBytes));
    }

    private final class LossySocket extends ForwardingUdpSocket {
        LossySocket(UdpSocket socket) {
            super(socket);
        }

        @Override
        public void send(ByteBuffer src, InetSocketAddress to) throws IOException {
            if (losing && sendRandom.nextDouble() < lossRate) {
                src.position(src.limit()); // gone, as if the network lost it
                lostSending.incrementAndGet();
                return;
            }
            socket.send(src, to);
            if (losing) {
                sent.incrementAndGet();
            }
        }

        @Override
        public InetSocketAddress receive(ByteBuffer dst, boolean wait) throws IOException {
            int start = dst.position();
            while (true) {
                InetSocketAddress from = socket.receive(dst, wait);
                if (from == null || !losing) {
                    return from;
                }
                if (receiveRandom.nextDouble() >= lossRate) {
                    received.incrementAndGet();
                    return from;
                }
                lostReceiving.incrementAndGet();
                dst.position(start);
                if (!wait) {
                    return null;
                }
            }
        }
    }
}
