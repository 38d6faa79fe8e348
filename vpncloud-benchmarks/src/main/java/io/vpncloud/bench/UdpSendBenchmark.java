package io.vpncloud.bench;

import io.vpncloud.tun.linux.LinuxUdpSocket;
import io.vpncloud.tun.linux.LinuxUdpSocketProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Sending {@value #SIZE}-byte datagrams over loopback, in datagrams per second (one operation = one datagram;
 * an invocation sends {@value #BATCH}, the datagrams of one 64 KiB TCP segment):
 * {@code JDK_CHANNEL} sends them one {@link DatagramChannel#send} each, {@code LINUX_SINGLE} one
 * {@link LinuxUdpSocket#send} each, {@code LINUX_SEGMENTS} all in one {@link LinuxUdpSocket#sendSegments}
 * (UDP segmentation offload).
 *
 * <p>A thread on the other side receives them with a {@link LinuxUdpSocket} with receive offload; the secondary
 * result {@code receivedDatagrams} says how many arrived (UDP drops what the receiver cannot take, so the
 * sending rate alone would hide a receiver that falls behind).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class UdpSendBenchmark {
    static final int SIZE = 1400;
    static final int BATCH = 45;
    private static final int SOCKET_BUFFER = 4 << 20;

    /** How the datagrams are sent. */
    public enum Sender { JDK_CHANNEL, LINUX_SINGLE, LINUX_SEGMENTS }

    @Param({"JDK_CHANNEL", "LINUX_SINGLE", "LINUX_SEGMENTS"})
    public Sender sender;

    /** Datagrams that arrived, summed over an iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Arrivals {
        public long receivedDatagrams;
        private long counted;
    }

    private final AtomicLong received = new AtomicLong();
    private final ByteBuffer batch = ByteBuffer.allocateDirect(SIZE * BATCH);
    private LinuxUdpSocket receiver;
    private LinuxUdpSocket linuxSender;
    private DatagramChannel channel;
    private InetSocketAddress target;
    private Thread receiverThread;

    @Setup(Level.Trial)
    public void open() throws IOException {
        LinuxUdpSocketProvider provider = new LinuxUdpSocketProvider();
        receiver = provider.bind(new InetSocketAddress("127.0.0.1", 0), SOCKET_BUFFER);
        linuxSender = provider.bind(new InetSocketAddress("127.0.0.1", 0), SOCKET_BUFFER);
        channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        target = receiver.localAddress();
        receiverThread = new Thread(this::receiveUntilClosed, "udp-bench-receiver");
        receiverThread.start();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException, InterruptedException {
        receiver.close();
        receiverThread.join();
        linuxSender.close();
        channel.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void send(Arrivals arrivals) throws IOException {
        switch (sender) {
            case JDK_CHANNEL -> sendEach(true);
            case LINUX_SINGLE -> sendEach(false);
            case LINUX_SEGMENTS -> linuxSender.sendSegments(batch.clear(), SIZE, target);
        }
        long now = received.get();
        arrivals.receivedDatagrams += now - arrivals.counted;
        arrivals.counted = now;
    }

    private void sendEach(boolean jdk) throws IOException {
        for (int i = 0; i < BATCH; i++) {
            batch.limit(i * SIZE + SIZE).position(i * SIZE);
            if (jdk) {
                channel.send(batch, target);
            } else {
                linuxSender.send(batch, target);
            }
        }
    }

    /** Counts arriving datagrams, splitting batches by their segment size. */
    private void receiveUntilClosed() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
        try {
            while (true) {
                receiver.receive(buffer.clear(), true);
                int segmentSize = receiver.receivedSegmentSize();
                received.addAndGet(segmentSize == 0 ? 1 : (buffer.position() + segmentSize - 1) / segmentSize);
            }
        } catch (IOException e) {
            // Closing the receiver ends the loop.
        }
    }
}
