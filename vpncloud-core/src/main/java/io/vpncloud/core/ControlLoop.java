package io.vpncloud.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vpncloud.api.SendError;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The control thread: the one owner of the {@link ControlPlane} (peers, handshakes, claims, roles, timers). It runs a
 * duty cycle: commands from the application, then session messages of connected peers, then the tick when it is
 * due, then the socket's error reports and the steps of crash tests ({@link CrashSuspicion}) when one is due, then a
 * few init messages; when there is nothing to do it parks until the next tick or crash-test step, or until a producer
 * wakes it. Other threads never touch the control plane; they hand work over through the queues and never wait for this
 * thread (except the application's own blocking calls such as {@link #call}).
 *
 * <p>Ticks are not caught up: a tick that runs late is followed by the next one a full period later, so a stall
 * (a paused JVM) is never followed by a burst of back-to-back rounds.
 */
final class ControlLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlLoop.class);
    /** Session messages handled per round before the timers get their turn. */
    private static final int MESSAGES_PER_ROUND = 256;
    /**
     * Init messages handled per round: each costs up to a millisecond of signature and key-exchange work, so a flood
     * of them is worked off in small portions between the peers' messages and the timers.
     */
    private static final int INITS_PER_ROUND = 8;
    /** ICMP error reports handled per round: each is a map lookup, but a flood must not hold the loop. */
    private static final int SEND_ERRORS_PER_ROUND = SendErrorInbox.CAPACITY;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final ControlPlane plane;
    private final ControlInbox inbox;
    private final InitQueue inits;
    private final SendErrorInbox sendErrors;
    private final InstantSource clock;
    private final long tickNanos;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean parked = new AtomicBoolean();
    private volatile Thread thread;
    private volatile boolean running = true;
    /** Runs on this thread after every tick (the receive path's check of held datagrams). */
    private volatile Runnable afterTick = () -> { };

    /** @param clock the control plane's clock, which times the crash tests' steps */
    ControlLoop(ControlPlane plane, ControlInbox inbox, InitQueue inits, SendErrorInbox sendErrors, InstantSource clock,
                Duration tick) {
        this.plane = plane;
        this.inbox = inbox;
        this.inits = inits;
        this.sendErrors = sendErrors;
        this.clock = clock;
        this.tickNanos = tick.toNanos();
    }

    // ---- for other threads ----------------------------------------------------------------------------------

    /** Hands a session message of a connected peer over; receive thread. False when the inbox was full. */
    boolean offerMessage(Peer peer, int type, ByteBuffer body) {
        boolean taken = inbox.offer(peer, type, body);
        wake();
        return taken;
    }

    /** Hands an init message over; receive thread. False when it was dropped. */
    boolean offerInit(io.vpncloud.api.PeerAddress from, ByteBuffer datagram) {
        boolean taken = inits.offer(from, datagram);
        if (taken) {
            wake();
        }
        return taken;
    }

    /** Hands an error report of the socket over; receive thread. False when it was dropped (and counted). */
    boolean offerSendError(SendError error) {
        boolean taken = sendErrors.offer(error);
        wake();
        return taken;
    }

    /** Runs {@code command} on the control thread soon; never waits. */
    void execute(Runnable command) {
        commands.add(command);
        wake();
    }

    /**
     * Runs {@code action} on the control thread and waits for its result: for the application's calls (status,
     * a tick in tests). After the loop stopped it runs on the caller's thread, which then owns the state.
     */
    <T> T call(Supplier<T> action) {
        if (!running || Thread.currentThread() == thread) {
            return action.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(action.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the control thread", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            if (!running) {
                return action.get(); // the loop stopped before it got to the command
            }
            throw new IllegalStateException("the control thread did not answer within " + CALL_TIMEOUT);
        }
    }

    /** Runs {@code task} on the control thread after every tick. */
    void afterEachTick(Runnable task) {
        afterTick = task;
    }

    /** Wakes the control thread if it is parked. */
    void wake() {
        if (parked.get()) {
            LockSupport.unpark(thread);
        }
    }

    /** Stops the loop after the work it is doing and waits for the thread to end. */
    void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            if (t != Thread.currentThread()) {
                try {
                    t.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    // ---- the control thread ---------------------------------------------------------------------------------

    @Override
    public void run() {
        thread = Thread.currentThread();
        long nextTick = System.nanoTime();
        while (running) {
            boolean busy = runCommands();
            busy |= deliverMessages();
            long now = System.nanoTime();
            if (now - nextTick >= 0) {
                safely("tick", plane::tick);
                safely("after tick", afterTick);
                nextTick = System.nanoTime() + tickNanos;
            }
            busy |= deliverSendErrors();
            long nextStep = runDueSuspicionSteps(nextTick);
            busy |= handleInits();
            if (!busy) {
                idleUntil(nextStep - nextTick < 0 ? nextStep : nextTick);
            }
        }
        runCommands(); // an application call that came in while stopping still gets its answer
    }

    private boolean runCommands() {
        boolean any = false;
        for (Runnable command = commands.poll(); command != null; command = commands.poll()) {
            safely("command", command);
            any = true;
        }
        return any;
    }

    private boolean deliverMessages() {
        for (int i = 0; i < MESSAGES_PER_ROUND; i++) {
            ControlInbox.Message message = inbox.poll();
            if (message == null) {
                return i > 0;
            }
            safely("message", () -> plane.onMessage(message.peer(), message.type(), message.body()));
        }
        return true;
    }

    private boolean deliverSendErrors() {
        for (int i = 0; i < SEND_ERRORS_PER_ROUND; i++) {
            SendError error = sendErrors.poll();
            if (error == null) {
                return i > 0;
            }
            safely("send error", () -> plane.onSendError(error));
        }
        return true;
    }

    /**
     * Runs the crash tests' steps that are due; returns (in {@link System#nanoTime()} terms) when the next one is,
     * or {@code otherwise} while no test runs.
     */
    private long runDueSuspicionSteps(long otherwise) {
        Instant next = plane.nextSuspicionStep();
        if (next == null) {
            return otherwise;
        }
        Instant now = clock.instant();
        if (!now.isBefore(next)) {
            safely("crash tests", plane::checkSuspicions);
            next = plane.nextSuspicionStep();
            if (next == null) {
                return otherwise;
            }
        }
        return System.nanoTime() + Math.max(0, Duration.between(clock.instant(), next).toNanos());
    }

    private boolean handleInits() {
        for (int i = 0; i < INITS_PER_ROUND; i++) {
            InitQueue.Entry entry = inits.poll();
            if (entry == null) {
                return i > 0;
            }
            safely("init message", () -> plane.handleInit(entry.from(), ByteBuffer.wrap(entry.datagram())));
        }
        return true;
    }

    /** Parks until {@code deadline} unless work arrives (a producer then unparks this thread). */
    private void idleUntil(long deadline) {
        parked.set(true);
        try {
            if (commands.isEmpty() && inbox.isEmpty() && inits.isEmpty() && sendErrors.isEmpty() && running) {
                long wait = deadline - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(this, wait);
                }
            }
        } finally {
            parked.set(false);
        }
    }

    /** A failing step is a bug: it is logged with its trace, and the loop goes on with the next one. */
    private static void safely(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.error("control thread: {} failed", what, e);
        }
    }
}
