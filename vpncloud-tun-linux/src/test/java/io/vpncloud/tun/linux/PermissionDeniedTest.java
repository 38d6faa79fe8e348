package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vpncloud.api.DeviceType;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Opens a device in a child JVM that runs as root but without CAP_NET_ADMIN, as setpriv arranges. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PermissionDeniedTest {

    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    @ParameterizedTest
    @EnumSource(DeviceType.class)
    void missingCapabilityGivesTheAdviceNotAStackTrace(DeviceType type) throws Exception {
        RealTun.assumeAvailable();
        assumeTrue(Files.isExecutable(SETPRIV), "setpriv (util-linux) is needed to drop CAP_NET_ADMIN");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        String output = RealTun.run(SETPRIV.toString(), "--bounding-set", "-net_admin", java,
                "-cp", classPath(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=off",
                OpenTunMain.class.getName(), type.name());

        assertEquals("PERMISSION_DENIED creating " + type + " device needs root or CAP_NET_ADMIN; run as root or grant the"
                + " capability: setcap cap_net_admin+ep $(readlink -f $(which java))", output.trim());
    }

    /** This JVM's class path and module path (where the tests run on the module path) as one class path. */
    private static String classPath() {
        return Stream.of("java.class.path", "jdk.module.path").map(System::getProperty)
                .filter(path -> path != null && !path.isEmpty()).collect(Collectors.joining(File.pathSeparator));
    }
}
