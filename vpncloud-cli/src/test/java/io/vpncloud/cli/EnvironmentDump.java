package io.vpncloud.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Reads what a test hook script wrote with {@code env > FILE}: one {@code NAME=value} per line. */
final class EnvironmentDump {

    private EnvironmentDump() {
    }

    static Map<String, String> read(Path file) throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }
}
