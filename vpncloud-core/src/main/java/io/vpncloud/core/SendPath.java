package io.vpncloud.core;

import io.vpncloud.api.TunDevice;
import io.vpncloud.core.crypto.SessionCipher;
import io.vpncloud.core.net.UdpTransport;
import io.vpncloud.core.route.ClaimRouter;
import io.vpncloud.core.wire.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * The device-to-network path, on its own thread: read an IP packet from the device, look up the peer claiming its
 * destination, encrypt it as a DATA message for that peer and send it. Buffers are allocated once; the packet is
 * read right behind the type byte so that it is never copied before encryption.
 *
 * <p>The buffers live on the heap: the JDK's AES-GCM works on the backing arrays directly, while for direct
 * buffers it copies the data through temporary arrays it allocates per call (about 4 KB more garbage per
 * 1400-byte packet; SessionCipherBenchmark with {@code -p buffers=HEAP,DIRECT}). The socket and the TUN device
 * copy a heap buffer once through a native buffer they reuse, which costs less than that.
 */
final class SendPath implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SendPath.class);
    private static final int MAX_PACKET = 65536;

    private final TunDevice device;
    private final ClaimRouter<Peer> router;
    private final UdpTransport transport;
    private final TrafficCounters counters;
    private final ByteBuffer plain = ByteBuffer.allocate(1 + MAX_PACKET);
    private final ByteBuffer out = ByteBuffer.allocate(1 + MAX_PACKET + SessionCipher.OVERHEAD);
    private volatile boolean running = true;

    SendPath(TunDevice device, ClaimRouter<Peer> router, UdpTransport transport, TrafficCounters counters) {
        this.device = device;
        this.router = router;
        this.transport = transport;
        this.counters = counters;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        while (running) {
            plain.clear();
            plain.put((byte) MessageType.DATA);
            int length;
            try {
                length = device.read(plain);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!running) {
                    return;
                }
                LOG.warn("reading from device {} failed: {}", device.name(), e.toString());
                continue;
            }
            plain.flip();
            forward(length);
        }
    }

    private void forward(int length) {
        plain.position(1);
        Peer peer = router.lookup(plain);
        plain.position(0);
        if (peer == null) {
            counters.dropped.increment();
            return;
        }
        out.clear();
        peer.encrypt(plain, out);
        out.flip();
        try {
            transport.send(out, peer.socketAddress);
            counters.packetsOut.increment();
            counters.bytesOut.add(length);
        } catch (ClosedChannelException e) {
            running = false;
        } catch (IOException e) {
            counters.dropped.increment();
            LOG.debug("sending to {} failed: {}", peer, e.toString());
        }
    }
}
