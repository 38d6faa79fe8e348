package io.vpncloud.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaemonTest {

    @Test
    void childRunsTheSameProgramWithTheSameArgumentsInANewSession() {
        List<String> command = Daemon.childCommand(Optional.of("/usr/bin/setsid"), "/opt/java/bin/java",
                List.of("-Xmx64m", "-Dx=y"), "/opt/vpncloud.jar", "io.vpncloud.cli.VpncloudCommand",
                List.of("--daemon", "-p", "pw"));
        assertEquals(List.of("/usr/bin/setsid", "/opt/java/bin/java", "-Xmx64m", "-Dx=y", "-cp", "/opt/vpncloud.jar",
                "io.vpncloud.cli.VpncloudCommand", "--daemon", "-p", "pw"), command);
        assertEquals("/opt/java/bin/java", Daemon.childCommand(Optional.empty(), "/opt/java/bin/java", List.of(),
                "cp", "Main", List.of()).get(0));
    }

    @Test
    void theChildIsRecognisedByItsReadyFileAndSignalsWithItsPid(@TempDir Path dir) throws Exception {
        Path ready = dir.resolve("ready");
        assertEquals(Optional.empty(), Daemon.readyFile(Map.of()));
        assertEquals(Optional.of(ready), Daemon.readyFile(Map.of(Daemon.ENV_READY_FILE, ready.toString())));
        Daemon.signalReady(ready);
        assertTrue(Files.exists(ready));
        assertEquals(String.valueOf(ProcessHandle.current().pid()), Files.readString(ready).trim());
    }
}
