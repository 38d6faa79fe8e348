package io.vpncloud.core.route;

/**
 * The address kinds a claim can have (PROTOCOL.md §7), each routed in its own trie. The index is the trie's slot
 * in a {@link RouterSnapshot}.
 */
final class AddressFamily {

    static final int IPV4 = 0;
    static final int IPV6 = 1;
    /** A 6-byte MAC address (TAP mode). */
    static final int MAC = 2;
    /** An 8-byte VLAN id + MAC address (TAP mode). */
    static final int VLAN_MAC = 3;
    /** Number of families. */
    static final int COUNT = 4;

    private AddressFamily() {
    }

    /** The family of an address of {@code length} bytes, or -1 if no claim can have that length. */
    static int ofLength(int length) {
        return switch (length) {
            case 4 -> IPV4;
            case 16 -> IPV6;
            case 6 -> MAC;
            case 8 -> VLAN_MAC;
            default -> -1;
        };
    }

    /** The address length in bytes of {@code family}. */
    static int addressLength(int family) {
        return switch (family) {
            case IPV4 -> 4;
            case IPV6 -> 16;
            case MAC -> 6;
            case VLAN_MAC -> 8;
            default -> throw new IllegalArgumentException("no address family " + family);
        };
    }
}
