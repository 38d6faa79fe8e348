package io.vpncloud.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;

/**
 * A capture of UDP payloads recorded from the reference implementation, from {@code /vectors/*.txt} on the test
 * class path. Each non-comment line: index, milliseconds since the first datagram, sender, receiver, payload hex.
 */
public final class CaptureFile {

    /** One captured UDP payload. */
    public record Datagram(int index, long millis, String sender, String receiver, byte[] payload) {

        /** The first byte of the payload, 0..255. */
        public int firstByte() {
            return payload[0] & 0xFF;
        }

        /** Whether this is a handshake message (first byte 0xff and longer than the lone CLOSE byte). */
        public boolean isInit() {
            return payload.length > 1 && firstByte() == 0xFF;
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public String toString() {
            return "#" + index + " " + sender + "->" + receiver + " (" + payload.length + " bytes)";
        }
    }

    private final String name;
    private final List<Datagram> datagrams;

    private CaptureFile(String name, List<Datagram> datagrams) {
        this.name = name;
        this.datagrams = List.copyOf(datagrams);
    }

    /** Loads {@code /vectors/<name>} (e.g. {@code capture-plain.txt}) from the test class path. */
    public static CaptureFile load(String name) {
        try (InputStream in = CaptureFile.class.getResourceAsStream("/vectors/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no capture file /vectors/" + name);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Datagram> datagrams = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    datagrams.add(parseLine(line));
                }
            }
            return new CaptureFile(name, datagrams);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Datagram parseLine(String line) {
        String[] columns = line.trim().split(" +");
        if (columns.length != 5) {
            throw new IllegalArgumentException("capture line needs 5 columns: " + line);
        }
        return new Datagram(Integer.parseInt(columns[0]), Long.parseLong(columns[1]), columns[2], columns[3],
                HexFormat.of().parseHex(columns[4]));
    }

    /** The file name. */
    public String name() {
        return name;
    }

    /** All datagrams in capture order. */
    public List<Datagram> datagrams() {
        return datagrams;
    }

    /** The datagrams matching {@code filter}, in capture order. */
    public List<Datagram> select(Predicate<Datagram> filter) {
        return datagrams.stream().filter(filter).toList();
    }

    /** The handshake messages (PING, PONG, PENG and their repeats). */
    public List<Datagram> initMessages() {
        return select(Datagram::isInit);
    }

    @Override
    public String toString() {
        return name;
    }
}
