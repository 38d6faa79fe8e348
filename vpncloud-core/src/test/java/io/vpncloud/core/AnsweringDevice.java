package io.vpncloud.core;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.TunDevice;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * A device that reads without waiting and, like the kernel with a ping, answers a packet written to it during the
 * write: the answer is queued for the node to read before {@link #write} returns. The node's send thread can be
 * held in {@link #awaitReadable} for good (closed gate) to show who sends the answers. Every packet queued for the
 * node gets the next number of one sequence, answers and injected packets alike, so a test can check the order in
 * which they come out. Everything under one monitor: this is a test double, not a data-path model.
 */
final class AnsweringDevice implements TunDevice {
    /** What the device queues when a packet is written to it. */
    interface Answer {
        /**
         * The answer to {@code packet}, numbered {@code sequence}; null for none (the number is then unused); an
         * empty one makes the read that takes it throw, as a broken device would.
         */
        byte[] to(byte[] packet, int sequence);
    }

    private final IpRange address;
    private final Answer answer;
    private final int answerParts;
    private final boolean gateOpen;
    /** The "kernel's queue": each entry is what one read of the kernel gives, one packet or several. */
    private final ArrayDeque<ArrayDeque<byte[]>> toNode = new ArrayDeque<>();
    /** The rest of the last kernel read, held in this object (see {@link #hasPending}). */
    private ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private int sequence;
    private boolean closed;
    private int emptyReads;
    private final List<String> readers = new ArrayList<>();
    private int waits;

    /**
     * @param gateOpen whether {@link #awaitReadable} may return; when false, the send thread waits there for good
     */
    AnsweringDevice(IpRange address, Answer answer, boolean gateOpen) {
        this(address, answer, 1, gateOpen);
    }

    /**
     * @param answerParts how many packets answer one written packet, all taken by one read of the "kernel" (as the
     *                    segments of a TCP super-packet are), numbered one after the other
     */
    AnsweringDevice(IpRange address, Answer answer, int answerParts, boolean gateOpen) {
        this.address = address;
        this.answer = answer;
        this.answerParts = answerParts;
        this.gateOpen = gateOpen;
    }

    /** Queues the packet numbered with the sequence's next number, as if the host had routed it into the tunnel. */
    synchronized void inject(IntFunction<byte[]> packetNumbered) {
        ArrayDeque<byte[]> read = new ArrayDeque<>();
        read.add(packetNumbered.apply(sequence++));
        toNode.add(read);
        notifyAll();
    }

    /**
     * Queues {@code count} packets at once, each as a kernel read of its own, numbered one after the other: a burst
     * that is all there when the node next looks.
     */
    synchronized void injectBurst(int count, IntFunction<byte[]> packetNumbered) {
        for (int i = 0; i < count; i++) {
            ArrayDeque<byte[]> read = new ArrayDeque<>();
            read.add(packetNumbered.apply(sequence++));
            toNode.add(read);
        }
        notifyAll();
    }

    /**
     * Whether a read would return a packet now, as {@code poll(2)} on a real device tells (for a socket that waits for
     * this device too, {@link JointWaitSocketProvider}).
     */
    synchronized boolean hasPacket() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
        return !pending.isEmpty() || !toNode.isEmpty();
    }

    /** The names of the threads that read the packets, in order. */
    synchronized List<String> readers() {
        return List.copyOf(readers);
    }

    /** How many times {@link #readIfReady} found nothing: each a system call for nothing on a real device. */
    synchronized int emptyReads() {
        return emptyReads;
    }

    /** How many times {@link #awaitReadable} was called: each a system call on a real device. */
    synchronized int waits() {
        return waits;
    }

    @Override
    public String name() {
        return "answering";
    }

    @Override
    public int mtu() {
        return 1400;
    }

    @Override
    public Optional<IpRange> address() {
        return Optional.of(address);
    }

    @Override
    public boolean readsWithoutWaiting() {
        return true;
    }

    @Override
    public synchronized int read(ByteBuffer dst) throws IOException {
        throw new AssertionError("a device that reads without waiting is read with readIfReady");
    }

    @Override
    public synchronized int readIfReady(ByteBuffer dst) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (pending.isEmpty()) {
            ArrayDeque<byte[]> read = toNode.poll();
            if (read == null) {
                emptyReads++;
                return -1;
            }
            pending = read;
        }
        byte[] packet = pending.poll();
        if (packet.length == 0) {
            throw new IllegalStateException("an empty answer: this device breaks on it");
        }
        readers.add(Thread.currentThread().getName());
        dst.put(packet);
        return packet.length;
    }

    /** Whether packets of the last kernel read are still held here. */
    @Override
    public synchronized boolean hasPending() {
        return !pending.isEmpty();
    }

    @Override
    public synchronized void awaitReadable() throws IOException {
        waits++;
        if (gateOpen && !pending.isEmpty()) {
            return;
        }
        try {
            // Like poll(2) on the descriptor: what this object holds is looked at only on the way in.
            while (!closed && (toNode.isEmpty() || !gateOpen)) {
                wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for a packet");
        }
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public synchronized void write(ByteBuffer src) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        byte[] packet = new byte[src.remaining()];
        src.get(packet);
        ArrayDeque<byte[]> read = new ArrayDeque<>();
        for (int i = 0; i < answerParts; i++) {
            byte[] reply = answer.to(packet, sequence);
            if (reply == null) {
                return;
            }
            sequence++;
            read.add(reply);
        }
        toNode.add(read);
        notifyAll();
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
