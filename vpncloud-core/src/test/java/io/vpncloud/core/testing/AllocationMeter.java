package io.vpncloud.core.testing;

import java.lang.management.ManagementFactory;

/** Test helper: measures the heap memory the current thread allocates while running some code (HotSpot only). */
public final class AllocationMeter {

    private AllocationMeter() {
    }

    /** Bytes allocated by this thread while {@code code} ran. */
    public static long bytesAllocatedBy(Runnable code) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        code.run(); // first run links call sites and loads classes, which allocates once
        long before = threads.getThreadAllocatedBytes(thread);
        code.run();
        return threads.getThreadAllocatedBytes(thread) - before;
    }
}
