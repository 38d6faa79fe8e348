package io.vpncloud.core.route;

import io.vpncloud.api.IpRange;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Routes a destination address to the peer that claimed it (PROTOCOL.md §9): the longest matching prefix wins,
 * and among claims of the same range the one learned first wins. When a peer drops a claim or goes away, the
 * next claimant of each of its ranges takes over at once.
 *
 * <p>Ranges are kept with their host bits cleared: {@code 10.0.0.1/24} and {@code 10.0.0.0/24} are one range.
 * IPv4, IPv6, MAC (6-byte) and VLAN+MAC (8-byte) claims each live in their own prefix trie; packets read from a
 * TUN device are routed by IPv4 or IPv6 destination, Ethernet frames of a TAP device by their address key
 * ({@link #lookupFrame(long)}), and {@link #lookup(byte[])} routes any of the four.
 *
 * <p>{@link #lookupFlow(ByteBuffer)} spreads flows instead: among the claimants of the longest matching prefix it
 * picks one per flow ({@link FlowHash}) by rendezvous hashing over the claimants' seeds, so a flow stays with its
 * claimant while the claimants stay the same, and a claimant that leaves or joins moves only its own share.
 *
 * <p>Threads: lookups and the read-only queries are lock-free and see one consistent snapshot; they allocate
 * nothing (except the queries that return collections). Changes are serialised and publish a new snapshot that
 * shares everything but the changed paths with the old one, so a change costs O(trie depth) per changed claim,
 * independent of the number of claims.
 *
 * @param <P> the engine's peer object; peers are told apart with {@code equals}
 */
public final class ClaimRouter<P> {

    private static final int IPV4_HEADER_LENGTH = 20;
    private static final int IPV4_DESTINATION_OFFSET = 16;
    private static final int IPV6_HEADER_LENGTH = 40;
    private static final int IPV6_DESTINATION_OFFSET = 24;

    /** By family, then most specific first, then by address. */
    private static final Comparator<ClaimedPrefix> TABLE_ORDER = Comparator
            .comparingInt(ClaimedPrefix::family)
            .thenComparingInt(c -> -c.node().prefixLength)
            .thenComparing((a, b) -> Long.compareUnsigned(a.node().keyHigh, b.node().keyHigh))
            .thenComparing((a, b) -> Long.compareUnsigned(a.node().keyLow, b.node().keyLow));

    private final ToLongFunction<? super P> flowSeed;
    private volatile RouterSnapshot snapshot = RouterSnapshot.EMPTY;
    /** Counts the published snapshots that changed a claim; guarded by {@code this}. */
    private long version;
    /** What each peer claims, in the order it gave; guarded by {@code this}. */
    private final Map<P, Set<RouteKey>> claimsByPeer = new HashMap<>();

    /** A router whose claimants' seeds for {@link #lookupFlow} come from their {@code hashCode}. */
    public ClaimRouter() {
        this(peer -> FlowHash.mix(peer.hashCode()));
    }

    /**
     * A router with the claimants' seeds for {@link #lookupFlow}. A seed should be random-looking and the same
     * for the same claimant on every node (a hash of its node id), so that the choice of a flow does not depend on
     * when or where a claimant was learned. Called on the sending thread: it must be cheap and must not block.
     */
    public ClaimRouter(ToLongFunction<? super P> flowSeed) {
        this.flowSeed = Objects.requireNonNull(flowSeed, "flowSeed");
    }

    /**
     * The peer for the destination of the IP packet that starts at the buffer's position (IPv4: bytes 16–19,
     * IPv6: bytes 24–39). The buffer's position and limit are not changed.
     *
     * @return the peer, or null if nobody claims the destination, the IP version is neither 4 nor 6, or the
     *         packet is too short for its header
     */
    public P lookup(ByteBuffer packet) {
        return firstOf(claimantsOf(packet));
    }

    /**
     * Like {@link #lookup(ByteBuffer)}, but among several claimants of the longest matching prefix the packet's
     * flow chooses one, by rendezvous hashing of its {@link FlowHash} over the claimants' seeds.
     *
     * @return the peer, or null as for {@link #lookup(ByteBuffer)}
     */
    @SuppressWarnings("unchecked")
    public P lookupFlow(ByteBuffer packet) {
        Object[] claimants = claimantsOf(packet);
        if (claimants == null || claimants.length == 1) {
            return firstOf(claimants);
        }
        return (P) claimants[Rendezvous.choose(claimants, FlowHash.of(packet), flowSeed)];
    }

    /** The claimants of the longest prefix matching the packet's destination, or null. */
    private Object[] claimantsOf(ByteBuffer packet) {
        int start = packet.position();
        int length = packet.limit() - start;
        if (length < 1) {
            return null;
        }
        int ipVersion = (packet.get(start) & 0xFF) >>> 4;
        if (ipVersion == 4 && length >= IPV4_HEADER_LENGTH) {
            long high = (BigEndian.intAt(packet, start + IPV4_DESTINATION_OFFSET) & 0xFFFF_FFFFL) << 32;
            return TrieNode.longestMatch(snapshot.root(AddressFamily.IPV4), high, 0);
        }
        if (ipVersion == 6 && length >= IPV6_HEADER_LENGTH) {
            long high = BigEndian.longAt(packet, start + IPV6_DESTINATION_OFFSET);
            long low = BigEndian.longAt(packet, start + IPV6_DESTINATION_OFFSET + 8);
            return TrieNode.longestMatch(snapshot.root(AddressFamily.IPV6), high, low);
        }
        return null;
    }

    /**
     * The peer for an Ethernet address key ({@link FrameAddress}): an untagged address among the MAC claims, a
     * tagged one among the VLAN + MAC claims. Lock-free, allocation-free.
     *
     * @return the peer, or null if nobody claims the address (also for {@link FrameAddress#INVALID})
     */
    public P lookupFrame(long address) {
        if (address == FrameAddress.INVALID) {
            return null;
        }
        if (FrameAddress.vlan(address) == 0) {
            // A 6-byte address, left-aligned in the trie's key like every other.
            return firstOf(TrieNode.longestMatch(snapshot.root(AddressFamily.MAC), address << 16, 0));
        }
        // An 8-byte address: the key is exactly its bytes, big-endian.
        return firstOf(TrieNode.longestMatch(snapshot.root(AddressFamily.VLAN_MAC), address, 0));
    }

    /**
     * The peer for an address of 4 (IPv4), 16 (IPv6), 6 (MAC) or 8 (VLAN + MAC) bytes.
     *
     * @return the peer, or null if nobody claims the address or no claim can have its length
     */
    public P lookup(byte[] address) {
        int family = AddressFamily.ofLength(address.length);
        if (family < 0) {
            return null;
        }
        return firstOf(TrieNode.longestMatch(snapshot.root(family),
                AddressBits.high(address), AddressBits.low(address)));
    }

    /**
     * Sets everything {@code peer} claims. Ranges it claimed before and still claims keep their place among the
     * range's claimants; new ones join at the end; the others are dropped. An empty list removes the peer.
     * Duplicates (also ranges that differ only in host bits) count once.
     *
     * @return the ranges whose first claimant changed, in no particular order
     */
    public synchronized List<OwnerChange<P>> setClaims(P peer, Collection<IpRange> claims) {
        Objects.requireNonNull(peer, "peer");
        Set<RouteKey> wanted = new LinkedHashSet<>();
        for (IpRange claim : claims) {
            wanted.add(RouteKey.of(claim));
        }
        Set<RouteKey> held = claimsByPeer.getOrDefault(peer, Set.of());
        List<OwnerChange<P>> changes = new ArrayList<>();
        RouterSnapshot next = snapshot;
        for (RouteKey key : held) {
            if (!wanted.contains(key)) {
                next = changeClaimants(next, key, peer, false, changes);
            }
        }
        for (RouteKey key : wanted) {
            if (!held.contains(key)) {
                next = changeClaimants(next, key, peer, true, changes);
            }
        }
        if (next != snapshot) {
            version++;
        }
        snapshot = next;
        if (wanted.isEmpty()) {
            claimsByPeer.remove(peer);
        } else {
            claimsByPeer.put(peer, wanted);
        }
        return changes;
    }

    /**
     * Removes all claims of {@code peer}; the next claimant of each of its ranges takes over.
     *
     * @return the ranges whose first claimant changed, in no particular order
     */
    public List<OwnerChange<P>> removePeer(P peer) {
        return setClaims(peer, List.of());
    }

    /** The first claimant of exactly this range (host bits are ignored), or null if nobody claims it. */
    public P owner(IpRange range) {
        return firstOf(claimantsOf(range));
    }

    /** Everyone who claims exactly this range, first claimant first; empty if nobody does. */
    public List<P> claimants(IpRange range) {
        Object[] claimants = claimantsOf(range);
        return claimants == null ? List.of() : asList(claimants);
    }

    /** The ranges {@code peer} claims, host bits cleared, in the order it gave them. */
    public synchronized Set<IpRange> claimsOf(P peer) {
        return claimsByPeer.getOrDefault(peer, Set.of()).stream()
                .map(RouteKey::toRange)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * A number that grows with every change of any range's claimants (also changes that keep the first
     * claimant); equal numbers mean an unchanged table.
     */
    public synchronized long version() {
        return version;
    }

    /** How many (peer, range) claims there are. */
    public synchronized int claimCount() {
        return claimsByPeer.values().stream().mapToInt(Set::size).sum();
    }

    /**
     * The claim table in lookup order: IPv4, IPv6, MAC, then VLAN + MAC ranges, each family most specific range
     * first (then by address), each range with its claimants in order. One consistent snapshot.
     */
    public List<ClaimEntry<P>> table() {
        RouterSnapshot current = snapshot;
        List<ClaimedPrefix> claimed = new ArrayList<>();
        for (int family = 0; family < AddressFamily.COUNT; family++) {
            int f = family;
            TrieNode.forEachClaimed(current.root(family), node -> claimed.add(new ClaimedPrefix(f, node)));
        }
        claimed.sort(TABLE_ORDER);
        List<ClaimEntry<P>> table = new ArrayList<>(claimed.size());
        for (ClaimedPrefix c : claimed) {
            RouteKey key = new RouteKey(AddressFamily.addressLength(c.family()),
                    c.node().keyHigh, c.node().keyLow, c.node().prefixLength);
            table.add(new ClaimEntry<>(key.toRange(), asList(c.node().claimants)));
        }
        return table;
    }

    private RouterSnapshot changeClaimants(RouterSnapshot current, RouteKey key, P peer, boolean add,
                                           List<OwnerChange<P>> changes) {
        int family = AddressFamily.ofLength(key.addressLength());
        TrieNode root = current.root(family);
        Object[] before = TrieNode.find(root, key.high(), key.low(), key.prefixLength());
        Object[] after = add ? appended(before, peer) : without(before, peer);
        P oldOwner = firstOf(before);
        P newOwner = firstOf(after);
        if (!Objects.equals(oldOwner, newOwner)) {
            changes.add(new OwnerChange<>(key.toRange(), oldOwner, newOwner));
        }
        return current.with(family, TrieNode.with(root, key.high(), key.low(), key.prefixLength(), after));
    }

    private Object[] claimantsOf(IpRange range) {
        RouteKey key = RouteKey.of(range);
        TrieNode root = snapshot.root(AddressFamily.ofLength(key.addressLength()));
        return TrieNode.find(root, key.high(), key.low(), key.prefixLength());
    }

    private static Object[] appended(Object[] claimants, Object peer) {
        if (claimants == null) {
            return new Object[] {peer};
        }
        Object[] longer = Arrays.copyOf(claimants, claimants.length + 1);
        longer[claimants.length] = peer;
        return longer;
    }

    /** The claimants without {@code peer}; null when none are left. */
    private static Object[] without(Object[] claimants, Object peer) {
        if (claimants == null) {
            return null;
        }
        Object[] rest = Arrays.stream(claimants).filter(c -> !c.equals(peer)).toArray();
        return rest.length == 0 ? null : rest;
    }

    @SuppressWarnings("unchecked")
    private P firstOf(Object[] claimants) {
        return claimants == null ? null : (P) claimants[0];
    }

    @SuppressWarnings("unchecked")
    private List<P> asList(Object[] claimants) {
        return (List<P>) List.of(claimants);
    }



    /** A trie node that holds claimants, with the family of its trie. */
    private record ClaimedPrefix(int family, TrieNode node) {
    }
}
