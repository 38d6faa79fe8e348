package io.vpncloud.cli.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The events of one node as its {@code --hook} script records them, one line each:
 * {@code EVENT PEER NODE_ID REASON CLAIMS} (empty variables leave no word). Lets a test see when a node connected to
 * or lost a peer, through the command's documented interface rather than its log messages.
 */
final class HookEventLog {
    private final Path file;

    HookEventLog(Path file) {
        this.file = file;
    }

    /** The {@code --hook} script that appends every event to this log. */
    String hookScript() {
        return "echo \"$EVENT $PEER $NODE_ID $REASON $CLAIMS\" >> '" + file + "'";
    }

    /** How often {@code event} happened with peer {@code peer} ({@code 10.214.0.1:3210}). */
    long count(String event, String peer) {
        String start = event + " " + peer + " ";
        return lines().stream().filter(line -> line.startsWith(start)).count();
    }

    /** How often {@code event} happened with peer {@code peer} for {@code reason} ({@code unreachable}). */
    long count(String event, String peer, String reason) {
        String start = event + " " + peer + " ";
        return lines().stream().filter(line -> line.startsWith(start))
                .filter(line -> List.of(line.split(" ")).contains(reason)).count();
    }

    /** The recorded lines; none before the node ran its first hook. */
    List<String> lines() {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new AssertionError("cannot read the hook events " + file, e);
        }
    }

    /** The file and its lines, for failure messages. */
    String describe() {
        return "--- hook events " + file + ":\n" + String.join("\n", lines());
    }
}
