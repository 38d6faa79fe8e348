package io.vpncloud.cli;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Configures slf4j-simple through its system properties. Must run before the first logger is created, because
 * slf4j-simple reads them only once.
 */
final class Logging {
    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private Logging() {
    }

    /**
     * Sets the level and the log file. {@code -v}/{@code -q} win over a level given with {@code -D} in
     * {@code VPNCLOUD_JAVA_OPTS}; the default level and the format do not.
     */
    static void configure(CliConfig.LogLevel level, Optional<Path> logFile) {
        if (level == CliConfig.LogLevel.NORMAL) {
            setIfAbsent("defaultLogLevel", level.slf4jSimpleName());
        } else {
            System.setProperty(PREFIX + "defaultLogLevel", level.slf4jSimpleName());
        }
        logFile.ifPresent(file -> System.setProperty(PREFIX + "logFile", file.toString()));
        setIfAbsent("showDateTime", "true");
        setIfAbsent("dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
        setIfAbsent("showThreadName", "false");
        setIfAbsent("showShortLogName", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) {
            System.setProperty(PREFIX + key, value);
        }
    }
}
