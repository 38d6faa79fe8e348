package io.vpncloud.core.route;

import io.vpncloud.api.IpRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The routing rules of PROTOCOL.md §9 written as plainly as possible, to check {@link ClaimRouter} against: a list of
 * (peer, range, sequence number) scanned for the longest matching prefix, then the smallest sequence number.
 */
final class ClaimListModel {

    /** One claim; {@code learned} orders claims by when they were learned. */
    record Claim(String peer, IpRange range, long learned) {
    }

    private final List<Claim> claims = new ArrayList<>();
    private long nextSequence;

    /** Sets the claims of {@code peer}: kept ones keep their sequence number, new ones get a new one. */
    void setClaims(String peer, List<IpRange> ranges) {
        Set<IpRange> wanted = ranges.stream().map(ClaimListModel::withoutHostBits)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        claims.removeIf(c -> c.peer().equals(peer) && !wanted.contains(c.range()));
        for (IpRange range : wanted) {
            boolean held = claims.stream().anyMatch(c -> c.peer().equals(peer) && c.range().equals(range));
            if (!held) {
                claims.add(new Claim(peer, range, nextSequence++));
            }
        }
    }

    void removePeer(String peer) {
        claims.removeIf(c -> c.peer().equals(peer));
    }

    /** The peer packets for {@code address} go to, or null. */
    String lookup(byte[] address) {
        return claims.stream()
                .filter(c -> c.range().contains(address))
                .min(Comparator.comparingInt((Claim c) -> -c.range().prefixLength()).thenComparingLong(Claim::learned))
                .map(Claim::peer)
                .orElse(null);
    }

    /** The first claimant of exactly {@code range}, or null. */
    String owner(IpRange range) {
        return claimantsOf(range).stream().findFirst().orElse(null);
    }

    /** Everyone who claims exactly {@code range}, in learned order. */
    List<String> claimantsOf(IpRange range) {
        return claims.stream()
                .filter(c -> c.range().equals(range))
                .sorted(Comparator.comparingLong(Claim::learned))
                .map(Claim::peer)
                .toList();
    }

    /** Every claimed range with its claimants in learned order. */
    Map<IpRange, List<String>> table() {
        return ranges().stream().collect(Collectors.toMap(r -> r, this::claimantsOf));
    }

    Set<IpRange> ranges() {
        return claims.stream().map(Claim::range).collect(Collectors.toSet());
    }

    /** The owner changes between two owner maps taken before and after a change. */
    static Set<OwnerChange<String>> ownerChanges(Map<IpRange, String> before, Map<IpRange, String> after) {
        Set<IpRange> ranges = new HashSet<>(before.keySet());
        ranges.addAll(after.keySet());
        Set<OwnerChange<String>> changes = new HashSet<>();
        for (IpRange range : ranges) {
            String oldOwner = before.get(range);
            String newOwner = after.get(range);
            if (!Objects.equals(oldOwner, newOwner)) {
                changes.add(new OwnerChange<>(range, oldOwner, newOwner));
            }
        }
        return changes;
    }

    /** The first claimant of every claimed range. */
    Map<IpRange, String> owners() {
        return ranges().stream().collect(Collectors.toMap(r -> r, this::owner));
    }

    /** The range with every bit after the prefix cleared. */
    static IpRange withoutHostBits(IpRange range) {
        byte[] address = range.address();
        for (int i = 0; i < address.length; i++) {
            int keptBits = Math.max(0, Math.min(8, range.prefixLength() - 8 * i));
            address[i] &= (byte) (0xFF << (8 - keptBits));
        }
        return new IpRange(address, range.prefixLength());
    }
}
