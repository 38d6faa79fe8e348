package io.vpncloud.bench;

import io.vpncloud.api.VpnEvent;
import io.vpncloud.api.VpnListener;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the connected peers of every node of a simulated mesh from their events, so that the simulation learns
 * the moment the mesh is full without polling 200 status snapshots.
 */
final class MeshProgress {
    private final int nodes;
    private final AtomicInteger[] peers;
    private long links;

    MeshProgress(int nodes) {
        this.nodes = nodes;
        this.peers = new AtomicInteger[nodes];
        for (int i = 0; i < nodes; i++) {
            peers[i] = new AtomicInteger();
        }
    }

    /** The listener to give node {@code index}. */
    VpnListener listenerOf(int index) {
        return event -> {
            if (event instanceof VpnEvent.PeerConnected) {
                peers[index].incrementAndGet();
                changed(1);
            } else if (event instanceof VpnEvent.PeerDisconnected) {
                peers[index].decrementAndGet();
                changed(-1);
            }
        };
    }

    private synchronized void changed(int delta) {
        links += delta;
        notifyAll();
    }

    /** Directed links: the sum of every node's peer count; a full mesh has {@code n * (n - 1)}. */
    synchronized long links() {
        return links;
    }

    /** The number of nodes that have every other node as a peer. */
    int fullNodes() {
        int full = 0;
        for (AtomicInteger count : peers) {
            if (count.get() == nodes - 1) {
                full++;
            }
        }
        return full;
    }

    /** The smallest peer count of any node. */
    int minPeers() {
        int min = Integer.MAX_VALUE;
        for (AtomicInteger count : peers) {
            min = Math.min(min, count.get());
        }
        return min;
    }

    /**
     * Waits until every node has all others as peers, or until {@code timeoutNanos} passed; wakes on every change
     * and at least every {@code reportNanos} to call {@code report}.
     *
     * @return whether the mesh is full
     */
    synchronized boolean awaitFullMesh(long timeoutNanos, long reportNanos, Runnable report)
            throws InterruptedException {
        long full = (long) nodes * (nodes - 1);
        long deadline = System.nanoTime() + timeoutNanos;
        long nextReport = System.nanoTime() + reportNanos;
        while (links < full) {
            long now = System.nanoTime();
            if (now >= deadline) {
                return false;
            }
            if (now >= nextReport) {
                report.run();
                nextReport = now + reportNanos;
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(deadline, nextReport) - now);
        }
        return true;
    }
}
