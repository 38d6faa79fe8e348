package io.vpncloud.core;

import io.vpncloud.api.TunDevice;
import io.vpncloud.api.UdpSocket;
import io.vpncloud.core.route.ClaimRouter;
import io.vpncloud.core.route.FrameAddress;
import io.vpncloud.core.wire.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * The device-to-network path, on its own thread: read an IP packet (TUN) or Ethernet frame (TAP) from the device,
 * look up the peer claiming its destination, encrypt it as a DATA message for that peer and send it. Buffers are
 * allocated once; the packet is read right behind the type byte so that it is never copied before encryption.
 *
 * <p>Claims come first, always: the longest matching claim, its claimant known longest. Only a destination that no
 * claim places is looked up among the learned addresses (in the modes that learn), and what is still unplaced goes
 * to every connected peer (in the modes that broadcast) or is dropped. So a learned address never overrides a
 * claim, and servers that claim one MAC range fail over exactly as with IP ranges.
 *
 * <p>When the device hands out several packets from one kernel read (TCP segmentation offload) and the socket can
 * send many datagrams with one system call, consecutive datagrams for the same peer are collected in a
 * {@link DatagramBatch} and sent together as soon as the device has nothing more waiting; so batching never
 * delays a packet behind a blocking read.
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
    private final TrafficCounters counters;
    private final Forwarding forwarding;
    /** Whether each flow picks its own claimant among the claimants of a range, or all go to the first. */
    private final boolean spreadFlows;
    private final ByteBuffer plain = ByteBuffer.allocate(1 + MAX_PACKET);
    private final DatagramBatch batch;
    private volatile boolean running = true;

    SendPath(TunDevice device, ClaimRouter<Peer> router, UdpSocket socket, TrafficCounters counters,
             boolean spreadFlows, Forwarding forwarding) {
        this.forwarding = forwarding;
        this.device = device;
        this.spreadFlows = spreadFlows;
        this.router = router;
        this.counters = counters;
        this.batch = new DatagramBatch(socket, counters);
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        while (running) {
            if (!step()) {
                return;
            }
        }
    }

    /**
     * One turn of {@link #run()}: sends the batch when the device has nothing waiting, reads a packet (waiting for
     * it) and encrypts it into the batch; false when the device or the socket is closed. {@link DataPathWarmUp}
     * turns it too.
     */
    boolean step() {
        if (!device.hasPending() && !sendBatch()) {
            return false;
        }
        plain.clear();
        plain.put((byte) MessageType.DATA);
        int length;
        try {
            length = device.read(plain);
        } catch (ClosedChannelException e) {
            return false;
        } catch (IOException e) {
            if (!running) {
                return false;
            }
            LOG.warn("reading from device {} failed: {}", device.name(), e.toString());
            return true;
        }
        plain.flip();
        return forward(length);
    }

    /** Encrypts the packet in {@code plain} into the batch; false when the socket is closed. */
    private boolean forward(int length) {
        plain.position(1);
        Peer peer;
        if (forwarding.frames()) {
            long destination = FrameAddress.destination(plain);
            if (destination == FrameAddress.INVALID) {
                plain.position(0);
                counters.dropped.increment(); // shorter than an Ethernet header
                return true;
            }
            peer = router.lookupFrame(destination);
            if (peer == null) {
                peer = forwarding.learnedPeer(destination);
            }
        } else {
            peer = spreadFlows ? router.lookupFlow(plain) : router.lookup(plain);
            if (peer == null) {
                peer = forwarding.learnedPeerOfPacket(plain);
            }
        }
        plain.position(0);
        if (peer != null) {
            return sendTo(peer, length);
        }
        if (forwarding.broadcast()) {
            return flood(length);
        }
        counters.dropped.increment();
        return true;
    }

    /** Sends the packet in {@code plain} to every connected peer; false when the socket is closed. */
    private boolean flood(int length) {
        Peer[] peers = forwarding.connected();
        if (peers.length == 0) {
            counters.dropped.increment();
            return true;
        }
        counters.flooded.increment();
        for (Peer peer : peers) {
            plain.position(0);
            if (!sendTo(peer, length)) {
                return false;
            }
        }
        return true;
    }

    /** Encrypts the packet in {@code plain} for {@code peer} into the batch; false when the socket is closed. */
    private boolean sendTo(Peer peer, int length) {
        if (!batch.accepts(peer, plain.remaining() + peer.cipher.overhead()) && !sendBatch()) {
            return false;
        }
        batch.add(peer, plain, length);
        return true;
    }

    /** Sends what the batch holds; false when the socket is closed. */
    boolean sendBatch() {
        try {
            batch.send();
            return true;
        } catch (ClosedChannelException e) {
            running = false;
            return false;
        }
    }
}
