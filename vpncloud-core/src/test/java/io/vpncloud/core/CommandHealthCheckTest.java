package io.vpncloud.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A shell command as a health check: exit 0 is healthy, anything else or a hang is not, and a hang is killed. */
class CommandHealthCheckTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void exitZeroIsHealthyAnyOtherExitIsNot() {
        assertTrue(new CommandHealthCheck("true", TIMEOUT).healthy());
        assertTrue(new CommandHealthCheck("test 2 -gt 1 && exit 0", TIMEOUT).healthy());
        assertFalse(new CommandHealthCheck("exit 1", TIMEOUT).healthy());
        assertFalse(new CommandHealthCheck("no-such-command-anywhere-here", TIMEOUT).healthy());
    }

    @Test
    void aCommandOverItsTimeoutFailsAndIsKilledWithWhatItStarted(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("child.pid");
        String command = "sleep 60 & echo $! > '" + pidFile + "'; wait";
        long started = System.nanoTime();

        assertFalse(new CommandHealthCheck(command, Duration.ofSeconds(1)).healthy());

        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(30)) < 0);
        long childPid = Long.parseLong(Files.readString(pidFile).trim());
        Optional<ProcessHandle> child = ProcessHandle.of(childPid);
        if (child.isPresent()) {
            child.get().onExit().get(10, TimeUnit.SECONDS); // killed: it ends; a survivor fails the test
        }
        assertFalse(ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void anInterruptedCheckKillsTheCommandAndKeepsTheInterrupt() throws Exception {
        Thread.currentThread().interrupt();
        try {
            assertFalse(new CommandHealthCheck("sleep 60", TIMEOUT).healthy());
            assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void blankCommandsAndNonPositiveTimeoutsAreRejected() {
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> new CommandHealthCheck(" ", TIMEOUT));
        assertEquals("health check command must not be blank", blank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CommandHealthCheck("true", Duration.ZERO));
    }
}
