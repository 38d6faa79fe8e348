package io.vpncloud.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gives the process the kernel name {@value #NAME}, so that {@code ps}, {@code pgrep}, {@code killall} and
 * monitoring that look for the process by name find it rather than {@code java}.
 * <p>
 * The process name those tools read is the {@code comm} of the thread-group leader ({@code /proc/PID/stat}). The
 * java launcher runs {@code main} on a thread of its own and leaves its first thread, the group leader, waiting for
 * the JVM; a thread may rename any thread of its own process through {@code /proc/self/task/TID/comm}, so the main
 * thread renames the leader, whose id is the process id.
 */
final class ProcessName {

    /** The name of the reference's binary, which scripts and tutorials use. */
    static final String NAME = "vpncloud";

    private ProcessName() {
    }

    /**
     * Renames this process; where {@code /proc} is missing or read-only (not Linux, a sandbox) the process keeps
     * its name, which only matters to tools looking for it, so that is no error.
     *
     * @return whether the name was set
     */
    static boolean set(String name) {
        Path comm = leaderComm(ProcessHandle.current().pid());
        try {
            Files.writeString(comm, name, StandardCharsets.US_ASCII);
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static Path leaderComm(long pid) {
        return Path.of("/proc/self/task", Long.toString(pid), "comm");
    }
}
