package io.vpncloud.core.route;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;

/**
 * Which peer an address was last seen behind (PROTOCOL.md §9a): learned from the source address of every frame a
 * peer sends, refreshed by each one, forgotten {@code timeoutMillis} after the last. Addresses are 64-bit keys
 * ({@link FrameAddress}).
 *
 * <p>Threads: one thread learns (the receive thread), any thread looks up (the send thread) without a lock, and a
 * third (the control thread) ends all entries of a peer at once by changing the peer's <em>generation</em>: an
 * entry is valid only while its peer still has the generation it was learned with, and a negative generation means
 * the peer is gone. So a peer that leaves or changes its claims costs the control thread nothing here, and the
 * learning thread stays the only writer of the table. The time comes from the callers, in milliseconds.
 *
 * <p>Memory: an open-addressing table of entries (linear probing, at most half full), grown by the learning thread
 * as more addresses are seen and capped at {@code maxEntries}. Refreshing a known address writes one field and
 * allocates nothing; a new address allocates one entry. Invalid entries (expired, or of a peer that is gone or
 * changed) are reused in place and dropped whenever the table is rebuilt. An address that finds no room is not
 * learned and counted ({@link #overflows()}); the table never blocks and never grows past its cap.
 *
 * @param <P> the engine's peer type; told apart by identity
 */
public final class LearningTable<P> {

    /** The default cap on learned addresses. */
    public static final int DEFAULT_MAX_ENTRIES = 65_536;
    /** The largest cap: the table then has 2^25 slots. */
    public static final int MAX_ENTRIES = 1 << 24;
    private static final int MIN_SLOTS = 64;
    /** After a rebuild that left little room, no new rebuild for this long: a full table must not cost O(n) a frame. */
    private static final long FULL_BACKOFF_MILLIS = 1000;

    private final int maxEntries;
    private final int maxSlots;
    private final long timeoutMillis;
    private final ToIntFunction<? super P> generation;
    private final LongAdder overflows = new LongAdder();
    /** The table the looking-up threads read; replaced (never changed in size) by the learning thread. */
    private volatile AtomicReferenceArray<Entry<P>> slots;
    /** Slots in use (valid or not); learning thread only. */
    private int used;
    /** No rebuild before this time, after one that found the table full; learning thread only. */
    private long noRebuildBefore = Long.MIN_VALUE;

    /**
     * @param maxEntries    the most addresses kept at once (at least 1)
     * @param timeoutMillis how long an address is kept after the last frame from it (positive)
     * @param generation    a peer's current generation: entries learned with another one are invalid, and a
     *                      negative one means the peer is gone (nothing is learned for it). Called on the learning
     *                      and the looking-up threads: it must be cheap, lock-free and not block.
     */
    public LearningTable(int maxEntries, long timeoutMillis, ToIntFunction<? super P> generation) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("timeoutMillis must be positive: " + timeoutMillis);
        }
        this.maxEntries = maxEntries;
        if (maxEntries > MAX_ENTRIES) {
            throw new IllegalArgumentException("maxEntries must be at most " + MAX_ENTRIES + ": " + maxEntries);
        }
        int slotsWhenFull = MIN_SLOTS;
        while (slotsWhenFull < 2 * maxEntries) {
            slotsWhenFull <<= 1;
        }
        this.maxSlots = slotsWhenFull;
        this.timeoutMillis = timeoutMillis;
        this.generation = generation;
        this.slots = new AtomicReferenceArray<>(MIN_SLOTS);
    }

    /**
     * The peer {@code address} was last seen behind, if that is less than the timeout ago and the peer has not
     * changed since; lock-free and allocation-free, for any thread.
     *
     * @param nowMillis the current time
     * @return the peer, or null
     */
    public P lookup(long address, long nowMillis) {
        AtomicReferenceArray<Entry<P>> table = slots;
        int mask = table.length() - 1;
        for (int i = indexOf(address, mask); ; i = (i + 1) & mask) {
            Entry<P> entry = table.get(i);
            if (entry == null) {
                return null;
            }
            if (entry.address == address) {
                return isValid(entry, nowMillis) ? entry.peer : null;
            }
        }
    }

    /**
     * Notes that a frame from {@code address} came from {@code peer}; the learning thread only. Allocates nothing
     * when the address is already known behind that peer.
     *
     * @param nowMillis the current time
     * @return false when the address was not learned for lack of room (also counted in {@link #overflows()})
     */
    public boolean learn(long address, P peer, long nowMillis) {
        int peerGeneration = generation.applyAsInt(peer);
        if (peerGeneration < 0) {
            return true; // the peer left while its frame was on the way: nothing to learn
        }
        AtomicReferenceArray<Entry<P>> table = slots;
        int mask = table.length() - 1;
        int reusable = -1;
        int i = indexOf(address, mask);
        for (Entry<P> entry = table.get(i); entry != null; i = (i + 1) & mask, entry = table.get(i)) {
            if (entry.address == address) {
                if (entry.peer == peer && entry.generation == peerGeneration) {
                    entry.refresh(nowMillis);
                } else {
                    table.set(i, new Entry<>(address, peer, peerGeneration, nowMillis)); // moved, or learned anew
                }
                return true;
            }
            if (reusable < 0 && !isValid(entry, nowMillis)) {
                reusable = i;
            }
        }
        if (reusable >= 0) {
            table.set(reusable, new Entry<>(address, peer, peerGeneration, nowMillis));
            return true;
        }
        if (used + 1 > table.length() / 2 || used + 1 > maxEntries) {
            if (!rebuild(nowMillis, used + 1)) {
                overflows.increment();
                return false;
            }
            return learn(address, peer, nowMillis);
        }
        table.set(i, new Entry<>(address, peer, peerGeneration, nowMillis));
        used++;
        return true;
    }

    /**
     * Copies the valid entries into a new table with room for at least one more (growing it up to the cap), and
     * publishes it. Readers that still probe the old table find the same entry objects there.
     *
     * @return false when even the valid entries leave no room (then the table stays as it is for a while)
     */
    private boolean rebuild(long nowMillis, int wanted) {
        if (nowMillis < noRebuildBefore) {
            return false;
        }
        AtomicReferenceArray<Entry<P>> old = slots;
        int valid = 0;
        for (int i = 0; i < old.length(); i++) {
            Entry<P> entry = old.get(i);
            if (entry != null && isValid(entry, nowMillis)) {
                valid++;
            }
        }
        if (valid + 1 > maxEntries) {
            noRebuildBefore = nowMillis + FULL_BACKOFF_MILLIS;
            return false;
        }
        // Four slots per entry leaves the table a quarter full, so the next rebuild is many new addresses away.
        int size = MIN_SLOTS;
        while (size < maxSlots && size < 4L * (valid + 1)) {
            size <<= 1;
        }
        AtomicReferenceArray<Entry<P>> fresh = new AtomicReferenceArray<>(size);
        int mask = size - 1;
        for (int i = 0; i < old.length(); i++) {
            Entry<P> entry = old.get(i);
            if (entry != null && isValid(entry, nowMillis)) {
                int j = indexOf(entry.address, mask);
                while (fresh.get(j) != null) {
                    j = (j + 1) & mask;
                }
                fresh.set(j, entry);
            }
        }
        used = valid;
        slots = fresh;
        if (valid + 1 > size / 2) {
            noRebuildBefore = nowMillis + FULL_BACKOFF_MILLIS;
            return false;
        }
        return true;
    }

    private boolean isValid(Entry<P> entry, long nowMillis) {
        return nowMillis - entry.lastSeen < timeoutMillis && generation.applyAsInt(entry.peer) == entry.generation;
    }

    private static int indexOf(long address, int mask) {
        return (int) FlowHash.mix(address) & mask;
    }

    /**
     * How many addresses are learned and valid now; walks the table, for status and tests.
     *
     * @param nowMillis the current time
     */
    public int size(long nowMillis) {
        AtomicReferenceArray<Entry<P>> table = slots;
        int valid = 0;
        for (int i = 0; i < table.length(); i++) {
            Entry<P> entry = table.get(i);
            if (entry != null && isValid(entry, nowMillis)) {
                valid++;
            }
        }
        return valid;
    }

    /** How many times an address was not learned because the table was full. */
    public long overflows() {
        return overflows.sum();
    }

    /** Slots of the current table, for tests of its growth. */
    int capacity() {
        return slots.length();
    }

    /** One learned address. Final fields, so that a reader on another thread sees it whole. */
    private static final class Entry<P> {
        final long address;
        final P peer;
        final int generation;
        volatile long lastSeen;

        Entry(long address, P peer, int generation, long lastSeen) {
            this.address = address;
            this.peer = peer;
            this.generation = generation;
            this.lastSeen = lastSeen;
        }

        /** A busy address sees many frames per millisecond: write only when the time moved. */
        void refresh(long nowMillis) {
            if (lastSeen != nowMillis) {
                lastSeen = nowMillis;
            }
        }
    }
}
