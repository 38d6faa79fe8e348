package io.vpncloud.cli;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenKeyTest {

    /** One row of vectors/keys.txt: what VpnCloud 2.3.0 {@code genkey --password P} printed. */
    private record KeyVector(String password, String privateKey, String publicKey) {}

    @Test
    void passwordKeysMatchTheReference() throws IOException {
        List<KeyVector> vectors = keyVectors();
        assertEquals(5, vectors.size());
        for (KeyVector vector : vectors) {
            String output = GenKey.output(GenKey.keyPair(Optional.of(vector.password())));
            String[] lines = output.split("\n", -1);
            assertEquals("Private key: " + vector.privateKey(), lines[0], vector.password());
            assertEquals("Public key: " + vector.publicKey(), lines[1], vector.password());
            assertEquals("", lines[2]);
            assertTrue(lines[3].startsWith("Attention: Keep the private key secret"));
        }
    }

    @Test
    void withoutPasswordKeysAreRandomAndConsistent() throws UsageException {
        var first = GenKey.keyPair(Optional.empty());
        var second = GenKey.keyPair(Optional.empty());
        assertNotEquals(first.privateKeyBase62(), second.privateKeyBase62());
        // The printed private key, given back on the command line, must produce the printed public key.
        CliConfig config = CommandLineOptionsTest.run("--private-key", first.privateKeyBase62(),
                "--public-key", first.publicKeyBase62());
        assertEquals(Optional.of(first.privateKeyBase62()), config.crypto().privateKey());
        assertFalse(first.privateKeyBase62().isEmpty());
    }

    private static List<KeyVector> keyVectors() throws IOException {
        List<KeyVector> vectors = new ArrayList<>();
        try (InputStream in = GenKeyTest.class.getResourceAsStream("/vectors/keys.txt");
             BufferedReader reader = new BufferedReader(new InputStreamReader(Objects.requireNonNull(in,
                     "vectors/keys.txt from the vpncloud-core test jar"), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t");
                String json = columns[0];
                assertFalse(json.contains("\\"), "the vectors use no JSON escapes");
                vectors.add(new KeyVector(json.substring(1, json.length() - 1), columns[1], columns[2]));
            }
        }
        return vectors;
    }
}
