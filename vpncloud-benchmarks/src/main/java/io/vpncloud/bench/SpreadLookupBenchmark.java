package io.vpncloud.bench;

import io.vpncloud.api.IpRange;
import io.vpncloud.core.route.ClaimRouter;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The send path's route lookup for a shared address claimed by {@code claimants} servers, in a table of 1,000
 * other claims: {@code lookup} sends every packet to the claimant known longest (the default), {@code lookupFlow}
 * spreads flows by rendezvous hashing (flow hash of the 5-tuple, one weight per claimant). The packets are 1024
 * TCP and UDP flows to the shared address, IPv4 or IPv6, from random sources and ports.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SpreadLookupBenchmark {

    private static final int PACKETS = 1024;
    private static final int OTHER_CLAIMS = 1000;

    @Param({"1", "2", "5"})
    int claimants;

    @Param({"IPV4", "IPV6"})
    String family;

    private final Random random = new Random(42);
    private final ClaimRouter<Server> router = new ClaimRouter<>(server -> server.seed);
    private final ByteBuffer[] packets = new ByteBuffer[PACKETS];
    private int next;

    /** A claimant with its seed, as the engine's peers carry one. */
    record Server(int number, long seed) {
    }

    @Setup
    public void fillTable() {
        boolean v4 = family.equals("IPV4");
        IpRange shared = IpRange.parse(v4 ? "10.0.0.1/32" : "fd00::1/128");
        for (int i = 0; i < claimants; i++) {
            router.setClaims(new Server(i, random.nextLong()), List.of(shared));
        }
        for (int i = 0; i < OTHER_CLAIMS; i++) {
            byte[] address = v4 ? new byte[] {10, (byte) random.nextInt(256), (byte) random.nextInt(256), 0}
                    : new byte[16];
            if (!v4) {
                address[0] = (byte) 0xfd;
                address[1] = (byte) random.nextInt(256);
                address[2] = (byte) random.nextInt(256);
            }
            router.setClaims(new Server(1000 + i, random.nextLong()), List.of(new IpRange(address, v4 ? 24 : 48)));
        }
        for (int i = 0; i < PACKETS; i++) {
            packets[i] = v4 ? ipv4Packet() : ipv6Packet();
        }
        for (ByteBuffer packet : packets) {
            if (router.lookupFlow(packet) == null || router.lookupFlow(packet).number() >= claimants) {
                throw new IllegalStateException("a packet does not go to a claimant of the shared address");
            }
        }
    }

    private ByteBuffer ipv4Packet() {
        ByteBuffer packet = ByteBuffer.allocateDirect(64);
        packet.put(0, (byte) 0x45);
        packet.put(9, (byte) (random.nextBoolean() ? 6 : 17));
        packet.putInt(12, random.nextInt());
        packet.put(16, new byte[] {10, 0, 0, 1});
        packet.putInt(20, random.nextInt());
        return packet;
    }

    private ByteBuffer ipv6Packet() {
        ByteBuffer packet = ByteBuffer.allocateDirect(64);
        packet.put(0, (byte) 0x60);
        packet.put(6, (byte) (random.nextBoolean() ? 6 : 17));
        packet.putLong(8, random.nextLong());
        packet.putLong(16, random.nextLong());
        packet.put(24, (byte) 0xfd);
        packet.put(39, (byte) 1);
        packet.putInt(40, random.nextInt());
        return packet;
    }

    @Benchmark
    public Server lookup() {
        return router.lookup(packets[next++ & (PACKETS - 1)]);
    }

    @Benchmark
    public Server lookupFlow() {
        return router.lookupFlow(packets[next++ & (PACKETS - 1)]);
    }
}
