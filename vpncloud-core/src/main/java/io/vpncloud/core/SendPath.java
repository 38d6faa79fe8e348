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
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

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
 * <p>A turn reads until the device is empty, except when turns read one packet each (sparse traffic such as pings):
 * then it waits right after that packet, since asking once more would only cost a system call that finds nothing.
 * The wait returns at once when a packet is there after all, and every few turns one reads until the device is
 * empty again, which ends the guess when traffic has become dense.
 *
 * <p>The receive thread may take this path's place for a moment ({@link #sendReady}) to send on what the device
 * answered at once to packets it wrote; a read claim (held only for reads that do not wait) decides who reads the
 * device and uses the buffers and the batch below, so packets leave in the device's order.
 *
 * <p>While traffic is sparse, a node whose socket can wait for the device too ({@link UdpSocket#canAwaitWith}) runs
 * as one loop, like the reference's single thread: the send thread {@linkplain #leaveDeviceToReceiverWhenIdle leaves
 * the device to the receive thread}, which waits for datagrams and packets at once and sends what the device has
 * ({@link #sendReady}), and sleeps until that thread finds more packets waiting than it sends per turn and hands the
 * device back. So a ping through an idle node wakes one thread per step, never a second one that the device write
 * woke for nothing, and never one that must first wait for the read claim.
 *
 * <p>The buffers live on the heap: the JDK's AES-GCM works on the backing arrays directly, while for direct
 * buffers it copies the data through temporary arrays it allocates per call (about 4 KB more garbage per
 * 1400-byte packet; SessionCipherBenchmark with {@code -p buffers=HEAP,DIRECT}). The socket and the TUN device
 * copy a heap buffer once through a native buffer they reuse, which costs less than that.
 */
final class SendPath implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SendPath.class);
    private static final int MAX_PACKET = 65536;
    /**
     * The receive thread sends on at most this many packets per turn (and the rest of a TCP super-packet it began),
     * so it soon returns to the network.
     */
    private static final int MAX_SENT_BY_RECEIVER = 8;
    /** {@link #readIfReady(boolean)}: the device or socket is closed. */
    private static final int CLOSED = -2;
    /** {@link #readIfReady(boolean)}: the device was not asked, as turns read one packet each ({@link #sparse}). */
    private static final int NOT_ASKED = -3;
    /**
     * How many reads in a row a guess may leave out before one is made to check it: under a burst, turns wrongly
     * taken for sparse each send one packet and wait once more than needed, so a wrong guess costs at most this many.
     */
    private static final int SKIPS_BETWEEN_CHECKS = 8;
    /** A wait for the device at least this long makes the device go to the receive thread ({@link #lastWaitLong}). */
    private static final long IDLE_WAIT_NANOS = 1_000_000;

    private final TunDevice device;
    private final ClaimRouter<Peer> router;
    private final TrafficCounters counters;
    private final Forwarding forwarding;
    /** Whether each flow picks its own claimant among the claimants of a range, or all go to the first. */
    private final boolean spreadFlows;
    private final ByteBuffer plain = ByteBuffer.allocate(1 + MAX_PACKET);
    private final DatagramBatch batch;
    /**
     * Who reads the device and owns the buffers and the batch below: the send thread, or for a moment the receive
     * thread ({@link #sendReady}). Neither holds it while waiting, and the receive thread only tries it, so this
     * lock never makes the receive thread wait; it keeps packets in the order the device gave them.
     */
    private final ReentrantLock reader = new ReentrantLock();
    /**
     * Whether the send thread waits for the device: only then does the receive thread send for it. While the send
     * thread is busy it keeps the device to itself (it sends what is ready soon anyway, in larger batches).
     */
    private volatile boolean awaitingDevice;
    /**
     * Whether the receive thread watches the device while this path's thread sleeps
     * ({@link #leaveDeviceToReceiverWhenIdle}); set by the send thread, cleared by the receive thread.
     */
    private volatile boolean deviceWithReceiver;
    /** Wakes the receive thread from a wait for the network alone; null while the device is never left to it. */
    private Runnable receiverWake;
    /** The thread running this path, woken when the device comes back to it. */
    private volatile Thread thread;
    /**
     * Whether this thread's last wait for the device lasted at least {@link #IDLE_WAIT_NANOS}: the device is left to
     * the receive thread only after such a wait, so that a TCP transfer, whose acknowledgements come out of the device
     * with shorter gaps, keeps its packets on this thread. Send thread only.
     */
    private boolean lastWaitLong;
    private volatile boolean running = true;
    /** Packets the send thread read since it last went to wait for the device. Guarded by the read claim. */
    private int readSinceWait;
    /**
     * The guess that after one packet the device is empty: the last turn that read until it was - a wake-up of the
     * send thread, or a {@link #sendReady} - read one packet only, as sparse traffic does (a ping, a request now and
     * then). Guarded by the read claim.
     */
    private final EmptyReadGuess sparse = new EmptyReadGuess(SKIPS_BETWEEN_CHECKS);

    SendPath(TunDevice device, ClaimRouter<Peer> router, UdpSocket socket, TrafficCounters counters,
             boolean spreadFlows, Forwarding forwarding) {
        this.forwarding = forwarding;
        this.device = device;
        this.spreadFlows = spreadFlows;
        this.router = router;
        this.counters = counters;
        this.batch = new DatagramBatch(socket, counters);
    }

    /**
     * Lets this path's thread leave the device to the receive thread while traffic is sparse (see the class comment).
     * Only for a socket that can wait for the device too; before the thread starts.
     *
     * @param receiverWake wakes the receive thread from a wait for the network alone (an empty datagram to itself)
     */
    void leaveDeviceToReceiverWhenIdle(Runnable receiverWake) {
        this.receiverWake = receiverWake;
    }

    /** Whether the receive thread is to wait for the device too, and to send what it has ({@link #sendReady}). */
    boolean deviceWithReceiver() {
        return deviceWithReceiver;
    }

    void stop() {
        running = false;
        Thread sleeping = thread;
        if (sleeping != null) {
            LockSupport.unpark(sleeping);
        }
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
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
        if (!device.readsWithoutWaiting()) {
            return stepWaitingInRead();
        }
        while (true) {
            boolean sparseTraffic;
            reader.lock(); // held by the receive thread only for what the device has ready, never while waiting
            try {
                int length = readIfReady(readSinceWait == 1);
                if (length == CLOSED) {
                    return false;
                }
                if (length >= 0) {
                    readSinceWait++;
                    return forward(length);
                }
                endTurn(readSinceWait, length);
                readSinceWait = 0;
                sparseTraffic = sparse.guessesEmpty();
            } finally {
                reader.unlock();
            }
            if (sparseTraffic && lastWaitLong && receiverWake != null) {
                if (!sleepWhileDeviceWithReceiver()) {
                    return false;
                }
            } else if (!awaitReadable()) {
                return false;
            }
        }
    }

    /**
     * On the receive thread, right after it handed the first datagrams after a quiet spell to the device:
     * sends on what the device has ready now - the kernel's answers to those packets (a ping reply, a TCP
     * acknowledgement) are queued during the write itself. The reference answers like this from its single loop;
     * here it saves waking the send thread, which on a mostly idle machine sits on another, sleeping CPU. Only
     * while the send thread waits for the device (awaitingDevice is never set for a device that cannot read
     * without waiting); when it is busy, it sends them itself. It asks the device every time, even on a node whose
     * host never answers (the pinging side): leaving the read out there after empty ones was tried, and it cost a
     * bulk sender throughput, whose data the receive thread finds here after an acknowledgement opened the window.
     *
     * <p>While the send thread has left the device to the receive thread, this is also how that thread sends what
     * the host routes into the tunnel, whenever its wait says the device has a packet; when it stops at its limit
     * with packets left, traffic has become dense and the device goes back to the send thread.
     */
    void sendReady() {
        boolean withReceiver = deviceWithReceiver;
        if (!(awaitingDevice || withReceiver) || !reader.tryLock()) {
            return;
        }
        int length = -1;
        try {
            // Segments of a TCP super-packet already read are all sent: left in the device object, they would
            // wait for the next packet, because the send thread is waiting on the kernel's queue.
            int read = 0;
            while (read < MAX_SENT_BY_RECEIVER || device.hasPending()) {
                length = readIfReady(read == 1);
                if (length < 0) {
                    break;
                }
                read++;
                if (!forward(length)) {
                    return;
                }
            }
            endTurn(read, length);
        } finally {
            sendBatch(); // before the claim goes: the send thread may be asleep, and a batch must not wait for it
            reader.unlock();
        }
        if (withReceiver && length >= 0) {
            handDeviceBack(); // it stopped at the limit: traffic is dense now
        }
    }

    /**
     * Leaves the device to the receive thread and sleeps until it hands it back (or the path stops); false when
     * stopped. The receive thread may be waiting for the network alone: it is woken to wait for the device too.
     */
    private boolean sleepWhileDeviceWithReceiver() {
        deviceWithReceiver = true;
        receiverWake.run();
        while (deviceWithReceiver && running) {
            LockSupport.park(this);
        }
        lastWaitLong = false; // handed back for a burst: only a long wait again leaves the device to it
        return running;
    }

    /** On the receive thread: more packets are waiting than it sends per turn, so this path's thread takes over. */
    private void handDeviceBack() {
        deviceWithReceiver = false;
        LockSupport.unpark(thread);
    }

    /** The step of a device that can only read waiting: the send thread alone reads, as before. */
    private boolean stepWaitingInRead() {
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

    /**
     * Sends the batch when the device holds no more segments, then reads a packet into {@code plain} if one is
     * ready: its length, -1 when none is, {@link #NOT_ASKED} when the device was not asked, {@link #CLOSED} when
     * the device or the socket is closed. With the claim held.
     *
     * @param afterOnePacket whether this turn has read one packet so far and, as turns go now, may stop there
     */
    private int readIfReady(boolean afterOnePacket) {
        if (!device.hasPending()) {
            if (!sendBatch()) {
                return CLOSED;
            }
            if (afterOnePacket && sparse.skip()) {
                // Turns read one packet each: asking the device once more would only find it empty, a system call
                // per packet for nothing. The wait that follows returns at once if a packet is there after all.
                return NOT_ASKED;
            }
        }
        plain.clear();
        plain.put((byte) MessageType.DATA);
        int length;
        try {
            length = device.readIfReady(plain);
        } catch (ClosedChannelException e) {
            running = false;
            return CLOSED;
        } catch (IOException e) {
            if (!running) {
                return CLOSED;
            }
            LOG.warn("reading from device {} failed: {}", device.name(), e.toString());
            return -1;
        }
        plain.flip();
        return length;
    }

    /**
     * With the claim, at the end of a turn that read {@code read} packets and then got {@code last} from
     * {@link #readIfReady(boolean)}: a turn that read until the device was empty tells whether traffic is sparse (one
     * that found nothing, the other thread having taken the packet, tells nothing).
     */
    private void endTurn(int read, int last) {
        if (last != NOT_ASKED && read > 0) {
            sparse.checked(read == 1);
        }
    }

    /** Waits, without the claim, until the device has a packet; false when it is closed. */
    private boolean awaitReadable() {
        awaitingDevice = true;
        long start = System.nanoTime();
        try {
            device.awaitReadable();
            lastWaitLong = System.nanoTime() - start >= IDLE_WAIT_NANOS;
            return true;
        } catch (ClosedChannelException e) {
            return false;
        } catch (IOException e) {
            if (!running) {
                return false;
            }
            LOG.warn("waiting for device {} failed: {}", device.name(), e.toString());
            return true;
        } finally {
            awaitingDevice = false;
        }
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
