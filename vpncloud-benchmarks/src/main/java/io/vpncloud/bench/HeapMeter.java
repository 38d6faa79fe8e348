package io.vpncloud.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Used heap after full collections, for memory-per-object estimates in the simulations. */
final class HeapMeter {
    private static final int COLLECTIONS = 3;

    private HeapMeter() {
    }

    /** Used heap bytes after a few explicit full GCs (so that what remains is live). */
    static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < COLLECTIONS; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
