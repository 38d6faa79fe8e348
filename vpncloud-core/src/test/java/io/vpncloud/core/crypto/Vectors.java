package io.vpncloud.core.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Reads keys.txt of the recorded test vectors (captures are read with {@link io.vpncloud.core.CaptureFile}). */
final class Vectors {
    /** One line of keys.txt. */
    record KeyLine(String password, String privateBase62, String publicBase62, byte[] seed, byte[] publicKey) {}

    private Vectors() {}

    static List<KeyLine> keys() {
        List<KeyLine> keys = new ArrayList<>();
        for (String line : dataLines("keys.txt")) {
            String[] columns = line.split("\t");
            keys.add(new KeyLine(jsonString(columns[0]), columns[1], columns[2],
                    HexFormat.of().parseHex(columns[3]), HexFormat.of().parseHex(columns[4])));
        }
        return keys;
    }

    /** The passwords in keys.txt are JSON strings without escapes. */
    private static String jsonString(String quoted) {
        if (quoted.length() < 2 || quoted.charAt(0) != '"' || quoted.charAt(quoted.length() - 1) != '"'
                || quoted.indexOf('\\') >= 0) {
            throw new IllegalStateException("unexpected password column " + quoted);
        }
        return quoted.substring(1, quoted.length() - 1);
    }

    private static List<String> dataLines(String name) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing vector file " + name);
            }
            List<String> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
