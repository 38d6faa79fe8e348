package io.vpncloud.cli.system;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * A lock file that serialises system-test runs on one machine: runs in different checkouts use the same namespace
 * names, and the leftover clean-up of one run would otherwise remove the namespaces of another.
 */
final class HostLock implements AutoCloseable {
    private static final Duration RETRY_INTERVAL = Duration.ofMillis(200);

    private final FileChannel channel;
    private final FileLock lock;

    private HostLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits at most {@code limit} for the lock; fails the test when another run holds it longer. */
    static HostLock acquire(Path file, Duration limit) throws IOException, InterruptedException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new HostLock(channel, lock);
            }
            if (System.nanoTime() - deadline > 0) {
                channel.close();
                throw new AssertionError("another system-test run holds " + file + " for more than " + limit);
            }
            Thread.sleep(RETRY_INTERVAL.toMillis());
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
