package io.vpncloud.core.route;

import java.util.Arrays;

/** The tries of all address families at one moment; immutable once published. */
final class RouterSnapshot {

    static final RouterSnapshot EMPTY = new RouterSnapshot(new TrieNode[AddressFamily.COUNT]);

    private final TrieNode[] roots;

    private RouterSnapshot(TrieNode[] roots) {
        this.roots = roots;
    }

    /** The trie of {@code family} (an {@link AddressFamily} index); null when it is empty. */
    TrieNode root(int family) {
        return roots[family];
    }

    /** This snapshot with the trie of {@code family} replaced. */
    RouterSnapshot with(int family, TrieNode root) {
        TrieNode[] changed = Arrays.copyOf(roots, roots.length);
        changed[family] = root;
        return new RouterSnapshot(changed);
    }
}
