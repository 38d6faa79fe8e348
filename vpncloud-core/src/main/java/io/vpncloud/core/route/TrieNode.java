package io.vpncloud.core.route;

import java.util.function.Consumer;

/**
 * One node of an immutable, path-compressed binary prefix trie (a PATRICIA trie) over 128-bit keys. A node stands
 * for one prefix; it either holds the claimants of that prefix, or it only branches (then it has two children).
 * Children extend the prefix; the bit right after the node's prefix chooses the child.
 *
 * <p>Changes copy the nodes on the path from the root to the changed prefix and share everything else, so a
 * published trie is never modified and readers need no locks. The depth is at most 129, and about
 * log2(number of prefixes) for scattered prefixes.
 */
final class TrieNode {

    final long keyHigh;
    final long keyLow;
    final int prefixLength;
    private final long maskHigh;
    private final long maskLow;
    private final TrieNode zero;
    private final TrieNode one;
    /** The claimants of this prefix in the order they were learned, or null for a branch-only node. */
    final Object[] claimants;

    private TrieNode(long keyHigh, long keyLow, int prefixLength, TrieNode zero, TrieNode one, Object[] claimants) {
        this.maskHigh = AddressBits.maskHigh(prefixLength);
        this.maskLow = AddressBits.maskLow(prefixLength);
        this.keyHigh = keyHigh & maskHigh;
        this.keyLow = keyLow & maskLow;
        this.prefixLength = prefixLength;
        this.zero = zero;
        this.one = one;
        this.claimants = claimants;
    }

    /**
     * A node for the prefix, reduced to what is needed: without claimants, a node with one child is replaced by
     * that child and a node without children disappears (null).
     */
    private static TrieNode of(long high, long low, int prefixLength, TrieNode zero, TrieNode one, Object[] claimants) {
        if (claimants == null) {
            if (zero == null) {
                return one;
            }
            if (one == null) {
                return zero;
            }
        }
        return new TrieNode(high, low, prefixLength, zero, one, claimants);
    }

    /** The claimants of the longest prefix in the trie that covers the key, or null if none does. */
    static Object[] longestMatch(TrieNode root, long high, long low) {
        Object[] best = null;
        TrieNode node = root;
        while (node != null && node.covers(high, low)) {
            if (node.claimants != null) {
                best = node.claimants;
            }
            node = node.child(AddressBits.bitAt(high, low, node.prefixLength));
        }
        return best;
    }

    /** The claimants of exactly this prefix, or null. The key must have its host bits cleared. */
    static Object[] find(TrieNode root, long high, long low, int prefixLength) {
        TrieNode node = root;
        while (node != null && node.prefixLength <= prefixLength && node.covers(high, low)) {
            if (node.prefixLength == prefixLength) {
                return node.claimants;
            }
            node = node.child(AddressBits.bitAt(high, low, node.prefixLength));
        }
        return null;
    }

    /**
     * The trie with the claimants of exactly this prefix replaced ({@code claimants == null} removes the prefix).
     * The key must have its host bits cleared. The given trie is not changed.
     */
    static TrieNode with(TrieNode root, long high, long low, int prefixLength, Object[] claimants) {
        if (root == null) {
            return claimants == null ? null : new TrieNode(high, low, prefixLength, null, null, claimants);
        }
        int common = AddressBits.commonPrefixLength(root.keyHigh, root.keyLow, high, low,
                Math.min(root.prefixLength, prefixLength));
        if (common == root.prefixLength) {
            if (prefixLength == root.prefixLength) {
                return of(high, low, prefixLength, root.zero, root.one, claimants);
            }
            int bit = AddressBits.bitAt(high, low, root.prefixLength);
            TrieNode child = with(root.child(bit), high, low, prefixLength, claimants);
            return bit == 0
                    ? of(root.keyHigh, root.keyLow, root.prefixLength, child, root.one, root.claimants)
                    : of(root.keyHigh, root.keyLow, root.prefixLength, root.zero, child, root.claimants);
        }
        if (claimants == null) {
            return root; // the prefix is not in this trie
        }
        // The new prefix and the root part ways at bit `common` (or the new prefix ends there): join them below a
        // node for the shared prefix, which is the new prefix itself if that is the shorter one.
        TrieNode added = common == prefixLength ? null : new TrieNode(high, low, prefixLength, null, null, claimants);
        Object[] joinClaimants = common == prefixLength ? claimants : null;
        boolean rootGoesRight = AddressBits.bitAt(root.keyHigh, root.keyLow, common) == 1;
        return new TrieNode(high, low, common,
                rootGoesRight ? added : root, rootGoesRight ? root : added, joinClaimants);
    }

    /** Calls {@code action} for every node that holds claimants. */
    static void forEachClaimed(TrieNode root, Consumer<TrieNode> action) {
        if (root == null) {
            return;
        }
        if (root.claimants != null) {
            action.accept(root);
        }
        forEachClaimed(root.zero, action);
        forEachClaimed(root.one, action);
    }

    private boolean covers(long high, long low) {
        return ((high ^ keyHigh) & maskHigh) == 0 && ((low ^ keyLow) & maskLow) == 0;
    }

    private TrieNode child(int bit) {
        return bit == 0 ? zero : one;
    }
}
