package io.vpncloud.cli;

import io.vpncloud.core.wire.Base62;
import io.vpncloud.core.wire.MalformedMessageException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * The reference's beacon: a few socket addresses of a node as one line of base62 text, found in any text (a web
 * page, a DNS TXT record) between a begin and an end marker, both derived from the beacon password.
 *
 * <p>Layout before encoding: the hour of creation (hours since 1970, 16 bits, big-endian), the number of IPv4
 * addresses (one byte), each IPv4 address as 4 address bytes and a 2-byte port, then each IPv6 address as 16 bytes
 * and a port. That is masked with a key stream, SHA-512 over {@code (type, seed, counter) + password}, of which
 * the first 16 bytes of every hash are used; the seed is the first byte of SHA-512 over the unmasked data, appended
 * masked with the first byte of the seed stream, and checked when reading. Begin and end markers are the first five
 * base62 digits of the key stream of types 0 and 1. Base62 drops leading zero bytes, as the reference's does.
 */
final class BeaconCodec {
    private static final int TYPE_BEGIN = 0;
    private static final int TYPE_END = 1;
    private static final int TYPE_DATA = 2;
    private static final int TYPE_SEED = 3;
    private static final int MARKER_LENGTH = 5;
    private static final int MASK_BYTES_PER_HASH = 16;
    private static final int V4_ENTRY = 6;
    private static final int V6_ENTRY = 18;

    private final byte[] key;
    private final String begin;
    private final String end;

    /** @param password the beacon password; empty when none is given, as the reference */
    BeaconCodec(String password) {
        this.key = password.getBytes(StandardCharsets.UTF_8);
        this.begin = Base62.encode(keyStream(TYPE_BEGIN, 0, 0)).substring(0, MARKER_LENGTH);
        this.end = Base62.encode(keyStream(TYPE_END, 0, 0)).substring(0, MARKER_LENGTH);
    }

    /** The marker that starts a beacon ({@code $begin} of a beacon command). */
    String begin() {
        return begin;
    }

    /** The marker that ends a beacon ({@code $end} of a beacon command). */
    String end() {
        return end;
    }

    /** The beacon: begin marker, data, end marker. */
    String encode(List<InetSocketAddress> addresses, long hour) {
        return begin + encodeData(addresses, hour) + end;
    }

    /** The data part of a beacon ({@code $data} of a beacon command). */
    String encodeData(List<InetSocketAddress> addresses, long hour) {
        List<InetSocketAddress> v4 = new ArrayList<>();
        List<InetSocketAddress> v6 = new ArrayList<>();
        for (InetSocketAddress address : addresses) {
            (address.getAddress() instanceof Inet4Address ? v4 : v6).add(address);
        }
        ByteBuffer data = ByteBuffer.allocate(3 + V4_ENTRY * v4.size() + V6_ENTRY * v6.size() + 1);
        data.putShort((short) hour);
        data.put((byte) v4.size());
        for (InetSocketAddress address : v4) {
            data.put(address.getAddress().getAddress()).putShort((short) address.getPort());
        }
        for (InetSocketAddress address : v6) {
            data.put(address.getAddress().getAddress()).putShort((short) address.getPort());
        }
        byte[] bytes = data.array();
        int plainLength = bytes.length - 1;
        int seed = sha512(Arrays.copyOf(bytes, plainLength))[0] & 0xff;
        mask(bytes, plainLength, seed);
        bytes[plainLength] = (byte) (seed ^ keyStream(TYPE_SEED, 0, 0)[0]);
        return Base62.encode(bytes);
    }

    /**
     * Every address of every beacon in {@code text}, which may hold other text around, inside and between beacons
     * (only letters and digits count). Beacons that are damaged, made with another password or, with
     * {@code ttlHours}, older (or newer) than that are skipped.
     *
     * @param nowHour the current hour since 1970
     */
    List<InetSocketAddress> decode(String text, OptionalInt ttlHours, long nowHour) {
        String data = lettersAndDigits(text);
        List<InetSocketAddress> addresses = new ArrayList<>();
        int position = 0;
        while (true) {
            int found = data.indexOf(begin, position);
            if (found < 0) {
                break;
            }
            int start = found + begin.length();
            int stop = data.indexOf(end, found);
            if (stop < 0) {
                break;
            }
            if (stop >= start) {
                addresses.addAll(decodeData(data.substring(start, stop), ttlHours, nowHour));
            }
            position = start;
        }
        return addresses;
    }

    private List<InetSocketAddress> decodeData(String text, OptionalInt ttlHours, long nowHour) {
        byte[] bytes;
        try {
            bytes = Base62.decode(text);
        } catch (MalformedMessageException e) {
            return List.of(); // cannot happen after lettersAndDigits
        }
        if (bytes.length < 4) {
            return List.of();
        }
        int length = bytes.length - 1;
        int seed = (bytes[length] ^ keyStream(TYPE_SEED, 0, 0)[0]) & 0xff;
        mask(bytes, length, seed);
        byte[] plain = Arrays.copyOf(bytes, length);
        if ((sha512(plain)[0] & 0xff) != seed) {
            return List.of();
        }
        ByteBuffer data = ByteBuffer.wrap(plain);
        int then = data.getShort() & 0xffff;
        if (ttlHours.isPresent()) {
            int now = (int) (nowHour & 0xffff);
            int ttl = ttlHours.getAsInt();
            if (((now - then) & 0xffff) > ttl && ((then - now) & 0xffff) > ttl) {
                return List.of();
            }
        }
        int v4Count = data.get() & 0xff;
        if (v4Count * V4_ENTRY > data.remaining() || (data.remaining() - v4Count * V4_ENTRY) % V6_ENTRY != 0) {
            return List.of();
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int i = 0; i < v4Count; i++) {
            addresses.add(read(data, 4));
        }
        while (data.hasRemaining()) {
            addresses.add(read(data, 16));
        }
        return addresses;
    }

    private static InetSocketAddress read(ByteBuffer data, int addressLength) {
        byte[] address = new byte[addressLength];
        data.get(address);
        int port = data.getShort() & 0xffff;
        try {
            InetAddress ip = addressLength == 4 ? InetAddress.getByAddress(address)
                    : Inet6Address.getByAddress(null, address, null);
            return new InetSocketAddress(ip, port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    private void mask(byte[] data, int length, int seed) {
        int counter = 0;
        byte[] stream = keyStream(TYPE_DATA, seed, counter);
        int position = 0;
        for (int i = 0; i < length; i++) {
            data[i] ^= stream[position++];
            if (position == MASK_BYTES_PER_HASH) {
                position = 0;
                counter++;
                stream = keyStream(TYPE_DATA, seed, counter);
            }
        }
    }

    private byte[] keyStream(int type, int seed, int counter) {
        byte[] input = new byte[3 + key.length];
        input[0] = (byte) type;
        input[1] = (byte) seed;
        input[2] = (byte) counter;
        System.arraycopy(key, 0, input, 3, key.length);
        return sha512(input);
    }

    private static byte[] sha512(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-512").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-512", e);
        }
    }

    private static String lettersAndDigits(String text) {
        StringBuilder kept = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
                kept.append(c);
            }
        }
        return kept.toString();
    }
}
