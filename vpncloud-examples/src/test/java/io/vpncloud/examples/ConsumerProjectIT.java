package io.vpncloud.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds vpncloud-examples/consumer, a separate Maven project, against the artifacts this build just made, as a
 * user's project would: through vpncloud-bom, from a Maven repository. Then runs it as a named module with
 * {@code java -m}: two embedded nodes pass a packet.
 *
 * <p>The artifacts go into a repository of this test's own under target/, never into the user's local repository;
 * everything else (plugins, slf4j, Bouncy Castle) is read from the user's local repository, which this build
 * filled, and only what is missing there is downloaded.
 */
class ConsumerProjectIT {

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path PROJECT = MODULE.getParent();
    private static final Path WORK = MODULE.resolve("target/consumer-it");
    private static final List<String> LIBRARIES =
            List.of("vpncloud-api", "vpncloud-core", "vpncloud-tun-linux", "vpncloud-micrometer");
    private static final long BUILD_MINUTES = 5;

    @Test
    void aProjectUsingTheBomRunsAsANamedModuleAndPassesAPacket() throws Exception {
        String version = System.getProperty("vpncloud.version");
        Path userRepository = Path.of(System.getProperty("vpncloud.userRepository"));
        deleteRecursively(WORK);
        Path repository = WORK.resolve("repository");
        install(repository, "vpncloud-parent", version, PROJECT.resolve("pom.xml"), null);
        install(repository, "vpncloud-bom", version, PROJECT.resolve("vpncloud-bom/pom.xml"), null);
        for (String library : LIBRARIES) {
            Path jar = PROJECT.resolve(library + "/target/" + library + "-" + version + ".jar");
            assertTrue(Files.isRegularFile(jar), "built before this test: " + jar);
            install(repository, library, version, PROJECT.resolve(library + "/pom.xml"), jar);
        }
        Path settings = WORK.resolve("settings.xml");
        Files.writeString(settings, settings(userRepository));
        Path consumer = WORK.resolve("consumer");
        copyRecursively(MODULE.resolve("consumer"), consumer);

        Path buildLog = WORK.resolve("build.log");
        int built = run(consumer, buildLog, "mvn", "-B", "-ntp", "-q", "-s", settings.toString(),
                "-Dmaven.repo.local=" + repository, "-Dvpncloud.version=" + version, "package");
        assertEquals(0, built, "mvn package of the consumer project failed:\n" + Files.readString(buildLog));

        Path runLog = WORK.resolve("run.log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        int ran = run(consumer, runLog, java.toString(), "-p", "target/modules:target/vpncloud-consumer.jar",
                "-m", "io.vpncloud.consumer/io.vpncloud.consumer.TwoNodes");
        String output = Files.readString(runLog);
        assertEquals(0, ran, output);
        assertTrue(output.contains("modules: io.vpncloud.consumer, io.vpncloud.core, io.vpncloud.api"), output);
        assertTrue(output.contains("a received: hello from b from 10.0.0.2"), output);
    }

    /** Puts a POM (and jar) where a local repository keeps a locally installed artifact. */
    private static void install(Path repository, String artifact, String version, Path pom, Path jar)
            throws IOException {
        Path dir = repository.resolve("io/vpncloud/" + artifact + "/" + version);
        Files.createDirectories(dir);
        Files.copy(pom, dir.resolve(artifact + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, dir.resolve(artifact + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Reads from the user's local repository first (no network when it has everything), then Maven Central. */
    private static String settings(Path userRepository) {
        String seed = """
                <repository><id>user-local</id><url>%s</url>
                  <releases><enabled>true</enabled></releases><snapshots><enabled>false</enabled></snapshots>
                </repository>""".formatted(userRepository.toUri());
        return """
                <settings>
                  <profiles>
                    <profile>
                      <id>user-local</id>
                      <repositories>%s</repositories>
                      <pluginRepositories>%s</pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>user-local</activeProfile></activeProfiles>
                </settings>
                """.formatted(seed, seed.replace("repository>", "pluginRepository>"));
    }

    private static int run(Path directory, Path log, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + BUILD_MINUTES
                    + " minutes:\n" + Files.readString(log));
        }
        return process.exitValue();
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths.filter(p -> !from.relativize(p).startsWith("target"))::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
