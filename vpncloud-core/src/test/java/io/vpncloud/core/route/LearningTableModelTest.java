package io.vpncloud.core.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.core.testing.AllocationMeter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link LearningTable} against a map: random sequences of frames learned from peers, time passing, peers whose
 * claims change and peers that leave (and connect again as new peer objects), with every address looked up after
 * every step. The address pool is larger than the table's first size, so the table grows during a run.
 */
class LearningTableModelTest {
    private static final long TIMEOUT = 1000;
    private static final int ADDRESSES = 48;
    private static final List<String> NAMES = List.of("p0", "p1", "p2");

    /** A peer as the engine has it: its generation ends its learned entries. */
    static final class TestPeer {
        final String name;
        volatile int generation;

        TestPeer(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name + "#" + generation;
        }
    }

    sealed interface Step permits Learn, Advance, ClaimsChanged, Reconnected {
    }

    record Learn(int address, String peer) implements Step {
    }

    record Advance(long millis) implements Step {
    }

    /** The peer's claims changed: what was learned from it is forgotten. */
    record ClaimsChanged(String peer) implements Step {
    }

    /** The peer left and came back as a new peer object. */
    record Reconnected(String peer) implements Step {
    }

    /** The model: address to (peer, last seen). */
    record Seen(TestPeer peer, long at) {
    }

    @Property(tries = 300)
    void tableBehavesLikeAMapWithExpiry(@ForAll("steps") List<Step> steps) {
        LearningTable<TestPeer> table = new LearningTable<>(ADDRESSES + 16, TIMEOUT, p -> p.generation);
        Map<String, TestPeer> peers = new HashMap<>();
        NAMES.forEach(n -> peers.put(n, new TestPeer(n)));
        Map<Long, Seen> model = new HashMap<>();
        long now = 5_000;
        for (Step step : steps) {
            if (step instanceof Learn learn) {
                TestPeer peer = peers.get(learn.peer());
                table.learn(key(learn.address()), peer, now);
                model.put(key(learn.address()), new Seen(peer, now));
            } else if (step instanceof Advance advance) {
                now += advance.millis();
            } else if (step instanceof ClaimsChanged changed) {
                TestPeer peer = peers.get(changed.peer());
                peer.generation++;
                model.values().removeIf(seen -> seen.peer() == peer);
            } else if (step instanceof Reconnected reconnected) {
                TestPeer old = peers.get(reconnected.peer());
                old.generation = -1;
                peers.put(reconnected.peer(), new TestPeer(reconnected.peer()));
                model.values().removeIf(seen -> seen.peer() == old);
            }
            int expectedSize = 0;
            for (int a = 0; a < ADDRESSES; a++) {
                Seen seen = model.get(key(a));
                TestPeer expected = seen != null && now - seen.at() < TIMEOUT ? seen.peer() : null;
                assertSame(expected, table.lookup(key(a), now), "address " + a + " after " + step + " at " + now);
                expectedSize += expected == null ? 0 : 1;
            }
            assertEquals(expectedSize, table.size(now), "valid entries after " + step);
        }
        assertEquals(0, table.overflows());
    }

    @Example
    void whatDoesNotFitIsCountedAndLearnedOnceThereIsRoomAgain() {
        TestPeer peer = new TestPeer("p");
        LearningTable<TestPeer> table = new LearningTable<>(100, TIMEOUT, p -> p.generation);
        for (long a = 0; a < 100; a++) {
            table.learn(key(a), peer, 0);
        }

        table.learn(key(100), peer, 10);
        table.learn(key(101), peer, 20);

        assertEquals(2, table.overflows());
        assertNull(table.lookup(key(100), 20));
        assertTrue(LongStream.range(0, 100).allMatch(a -> table.lookup(key(a), 20) == peer), "the first 100 stay");
        assertTrue(table.capacity() <= 256, "never more than two slots per entry at the cap: " + table.capacity());

        table.learn(key(101), peer, TIMEOUT + 2_000); // the others expired meanwhile
        assertSame(peer, table.lookup(key(101), TIMEOUT + 2_000));
        assertEquals(1, table.size(TIMEOUT + 2_000));
    }

    @Example
    void multicastIsNeverAValidSourceButTheTableDoesNotJudge() {
        // The callers filter group addresses; the table itself stores any key, the VLAN ones included.
        TestPeer peer = new TestPeer("p");
        LearningTable<TestPeer> table = new LearningTable<>(10, TIMEOUT, p -> p.generation);
        long tagged = 5L << 48 | 0x0200_0000_0001L;
        table.learn(tagged, peer, 0);

        assertSame(peer, table.lookup(tagged, 1));
        assertNull(table.lookup(0x0200_0000_0001L, 1), "the same MAC outside the VLAN is another address");
    }

    @Example
    void aPeerThatIsGoneLearnsNothing() {
        TestPeer gone = new TestPeer("gone");
        gone.generation = -1;
        LearningTable<TestPeer> table = new LearningTable<>(10, TIMEOUT, p -> p.generation);

        table.learn(key(1), gone, 0);

        assertNull(table.lookup(key(1), 0));
    }

    @Example
    void refreshingAndLookingUpKnownAddressesAllocatesNothing() {
        TestPeer peer = new TestPeer("p");
        LearningTable<TestPeer> table = new LearningTable<>(1000, TIMEOUT, p -> p.generation);
        for (long a = 0; a < 500; a++) {
            table.learn(key(a), peer, 0);
        }
        long[] now = {0};

        long allocated = AllocationMeter.bytesAllocatedBy(() -> {
            for (int i = 0; i < 100_000; i++) {
                long t = now[0]++ / 50;
                table.learn(key(i % 500), peer, t);
                table.lookup(key((i * 7) % 500), t);
            }
        });

        // One allocation per frame would be at least 16 bytes each, 1.6 MB in all.
        assertTrue(allocated < 64 * 1024, allocated + " bytes allocated by 100,000 refreshes and lookups");
    }

    /** Addresses that differ in few bits, as MAC addresses of one vendor do. */
    private static long key(long index) {
        return 0x5254_0012_3400L + index;
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<String> names = Arbitraries.of(NAMES);
        Arbitrary<Step> learn = Combinators.combine(Arbitraries.integers().between(0, ADDRESSES - 1), names)
                .as(Learn::new);
        Arbitrary<Step> advance = Arbitraries.longs().between(0, TIMEOUT + TIMEOUT / 2)
                .edgeCases(c -> c.add(TIMEOUT - 1).add(TIMEOUT).add(1L)).map(Advance::new);
        Arbitrary<Step> claimsChanged = names.map(ClaimsChanged::new);
        Arbitrary<Step> reconnected = names.map(Reconnected::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(20, learn),
                net.jqwik.api.Tuple.of(4, advance),
                net.jqwik.api.Tuple.of(1, claimsChanged),
                net.jqwik.api.Tuple.of(1, reconnected)).list().ofMaxSize(200);
    }
}
