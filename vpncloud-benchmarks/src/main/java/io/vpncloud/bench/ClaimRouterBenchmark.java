package io.vpncloud.bench;

import io.vpncloud.api.IpRange;
import io.vpncloud.core.route.ClaimRouter;
import io.vpncloud.core.route.OwnerChange;
import java.nio.ByteBuffer;
import java.util.ArrayList;
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
 * Routing cost of {@link ClaimRouter} as the claim table grows: random IPv4 claims (4 in 5 are /32, the rest /24)
 * of peers holding 10 claims each, all under 10.0.0.0/8. Lookups cycle through 1024 different packets (to claimed
 * addresses, or to unclaimed ones under 10.0.0.0/8) so that the trie is not all in the first-level cache;
 * {@code setClaims} replaces one of the 10 claims of one peer, back and forth; {@code rebuildTable} builds the
 * whole table from scratch, which is what a router that rebuilt its lookup structure on every change would pay.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ClaimRouterBenchmark {

    private static final int CLAIMS_PER_PEER = 10;
    private static final int PACKETS = 1024;

    @Param({"10", "1000", "100000"})
    int claims;

    private final Random random = new Random(42);
    private final ClaimRouter<Integer> router = new ClaimRouter<>();
    private final ByteBuffer[] hits = new ByteBuffer[PACKETS];
    private final ByteBuffer[] misses = new ByteBuffer[PACKETS];
    private int nextPacket;
    private final List<List<IpRange>> claimsOfPeers = new ArrayList<>();
    private int churnPeer;
    private List<IpRange> churnClaims;
    private List<IpRange> churnClaimsChanged;
    private boolean churnChanged;

    @Setup
    public void fillTable() {
        List<IpRange> all = new ArrayList<>();
        for (int peer = 0; peer * CLAIMS_PER_PEER < claims; peer++) {
            List<IpRange> own = new ArrayList<>();
            for (int i = 0; i < CLAIMS_PER_PEER && all.size() < claims; i++) {
                IpRange claim = randomClaim();
                own.add(claim);
                all.add(claim);
            }
            router.setClaims(peer, own);
            claimsOfPeers.add(own);
            churnPeer = peer;
            churnClaims = own;
        }
        churnClaimsChanged = new ArrayList<>(churnClaims);
        churnClaimsChanged.set(churnClaimsChanged.size() - 1, randomClaim());
        for (int i = 0; i < PACKETS; i++) {
            IpRange claim = all.get(random.nextInt(all.size()));
            byte[] destination = claim.address();
            if (claim.prefixLength() == 24) {
                destination[3] = (byte) random.nextInt(256);
            }
            hits[i] = ipv4Packet(destination);
            misses[i] = unclaimedPacket();
        }
        for (ByteBuffer hit : hits) {
            if (router.lookup(hit) == null) {
                throw new IllegalStateException("a hit packet matches no claim");
            }
        }
    }

    /** A packet to an address under 10.0.0.0/8 that nobody claims, so that the lookup walks deep into the trie. */
    private ByteBuffer unclaimedPacket() {
        while (true) {
            ByteBuffer packet = ipv4Packet(new byte[] {10, (byte) random.nextInt(256), (byte) random.nextInt(256), 1});
            if (router.lookup(packet) == null) {
                return packet;
            }
        }
    }

    /** A /32 whose last byte is 0 (so that its hosts are unambiguous) or a /24, both under 10.0.0.0/8. */
    private IpRange randomClaim() {
        byte[] address = {10, (byte) random.nextInt(256), (byte) random.nextInt(256), 0};
        return new IpRange(address, random.nextInt(5) == 0 ? 24 : 32);
    }

    private static ByteBuffer ipv4Packet(byte[] destination) {
        ByteBuffer packet = ByteBuffer.allocateDirect(64);
        packet.put(0, (byte) 0x45);
        packet.put(16, destination);
        packet.limit(64);
        return packet;
    }

    @Benchmark
    public Integer lookupHit() {
        return router.lookup(hits[nextPacket++ & (PACKETS - 1)]);
    }

    @Benchmark
    public Integer lookupMiss() {
        return router.lookup(misses[nextPacket++ & (PACKETS - 1)]);
    }

    @Benchmark
    public List<OwnerChange<Integer>> setClaims() {
        churnChanged = !churnChanged;
        return router.setClaims(churnPeer, churnChanged ? churnClaimsChanged : churnClaims);
    }

    @Benchmark
    public ClaimRouter<Integer> rebuildTable() {
        ClaimRouter<Integer> fresh = new ClaimRouter<>();
        for (int peer = 0; peer < claimsOfPeers.size(); peer++) {
            fresh.setClaims(peer, claimsOfPeers.get(peer));
        }
        return fresh;
    }
}
