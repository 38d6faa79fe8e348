package io.vpncloud.core.crypto;

import java.util.Arrays;

/**
 * Strict anti-replay window over the nonce counters of one key slot (a bitmap in 64-bit blocks, as in RFC 6479).
 * Every counter is accepted at most once; counters up to {@link #SIZE} below the highest accepted one may still
 * arrive out of order; older ones are rejected. The reference protocol only rejects old nonces, so this is stricter
 * but compatible: honest senders never repeat a nonce.
 *
 * <p>Not thread-safe: only the decrypting thread uses it.
 */
public final class ReplayWindow {
    private static final int BLOCKS = 32;
    /** Distance below the highest accepted counter within which reordered counters are still accepted. */
    public static final int SIZE = (BLOCKS - 1) * Long.SIZE;

    /** Bit {@code c % 64} of block {@code (c / 64) % BLOCKS} records whether counter {@code c} was accepted. */
    private final long[] blocks = new long[BLOCKS];
    /** The highest accepted counter, or -1 before the first (counters are 56-bit, never negative). */
    private long highest = -1;

    /** Whether {@code counter} is neither already accepted nor below the window. Changes nothing. */
    public boolean mayAccept(long counter) {
        if (counter > highest) {
            return true;
        }
        if (highest - counter >= SIZE) {
            return false;
        }
        return (blocks[block(counter)] & bit(counter)) == 0;
    }

    /**
     * Records {@code counter} as accepted, sliding the window up if it is the new highest. Call only for a
     * counter for which {@link #mayAccept} was true and whose datagram authenticated.
     */
    public void accept(long counter) {
        if (counter > highest) {
            slideTo(counter);
        }
        blocks[block(counter)] |= bit(counter);
    }

    /** Clears the blocks that the window leaves behind when its top moves to {@code counter}. */
    private void slideTo(long counter) {
        long newBlock = counter >>> 6;
        long oldBlock = highest >>> 6;
        if (highest < 0 || newBlock - oldBlock >= BLOCKS) {
            Arrays.fill(blocks, 0);
        } else {
            for (long b = oldBlock + 1; b <= newBlock; b++) {
                blocks[(int) (b % BLOCKS)] = 0;
            }
        }
        highest = counter;
    }

    private static int block(long counter) {
        return (int) ((counter >>> 6) % BLOCKS);
    }

    private static long bit(long counter) {
        return 1L << (counter & 63);
    }
}
