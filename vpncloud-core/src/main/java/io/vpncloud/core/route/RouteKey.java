package io.vpncloud.core.route;

import io.vpncloud.api.IpRange;

/**
 * A claimed range reduced to what routing needs: the address family (its length in bytes), the prefix bits with
 * the host bits cleared, and the prefix length. {@code 10.0.0.1/24} and {@code 10.0.0.0/24} are the same key.
 */
record RouteKey(int addressLength, long high, long low, int prefixLength) {

    /** The key of a claimed range. */
    static RouteKey of(IpRange range) {
        byte[] address = range.address();
        int prefix = range.prefixLength();
        return new RouteKey(address.length,
                AddressBits.high(address) & AddressBits.maskHigh(prefix),
                AddressBits.low(address) & AddressBits.maskLow(prefix),
                prefix);
    }

    /** The range this key stands for, with host bits cleared. */
    IpRange toRange() {
        return new IpRange(AddressBits.toBytes(high, low, addressLength), prefixLength);
    }
}
