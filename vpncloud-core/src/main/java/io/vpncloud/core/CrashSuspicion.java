package io.vpncloud.core;

import java.time.Duration;
import java.time.Instant;

/**
 * The test of one peer after the socket reported an ICMP error ("port unreachable", "host unreachable") for a
 * datagram sent to it. Such a report is a hint, never proof: anyone who knows both addresses can forge one. So the
 * peer is probed, {@value #PROBES} times {@link #PROBE_INTERVAL} apart, and one interval after the last probe comes
 * the verdict:
 * <ul>
 *   <li>any authenticated datagram from the peer since the suspicion arose: <b>alive</b>, at once;</li>
 *   <li>a peer that answers probes (a vpncloud-java peer): <b>dead</b> when no answer came and at least one more
 *       error was reported after the first;</li>
 *   <li>a peer that answers no probe (the reference): its silence for a moment says nothing, so <b>dead</b> only
 *       when at least as many further errors came as probes went out, as when every probe drew one;</li>
 *   <li>otherwise <b>undecided</b>: the peer stays, its timeout still applies, and the next error starts a new
 *       test.</li>
 * </ul>
 * A forged report against a peer that answers therefore costs one probe and its answer, never a failover.
 *
 * <p>Control thread only.
 */
final class CrashSuspicion {
    static final Duration PROBE_INTERVAL = Duration.ofMillis(50);
    static final int PROBES = 3;

    /** What the control plane does now. */
    enum Step {
        /** Send a probe to the peer. */
        PROBE,
        /** Nothing yet; ask again at {@link #nextStep()}. */
        WAIT,
        /** The peer answered: the suspicion ends. */
        ALIVE,
        /** The peer is gone: remove it. */
        DEAD,
        /** Neither: the suspicion ends, the peer stays. */
        UNDECIDED
    }

    private final boolean answersProbes;
    private final long heardMark;
    private Instant nextStep;
    private int probesSent;
    private int errors;

    /**
     * A suspicion arising now, from one error report; its first step (a probe) is due at once.
     *
     * @param answersProbes whether the peer answers probes (it advertised so in its NodeInfo)
     * @param heardMark     the peer's {@link Peer#heardRounds()} now: anything heard after it answers the probes
     */
    CrashSuspicion(Instant now, boolean answersProbes, long heardMark) {
        this.answersProbes = answersProbes;
        this.heardMark = heardMark;
        this.nextStep = now;
    }

    /** The peer's {@link Peer#heardRounds()} when the suspicion arose. */
    long heardMark() {
        return heardMark;
    }

    /** A further error report for the peer. */
    void errorReported() {
        errors++;
    }

    /** When {@link #step} has something to do. */
    Instant nextStep() {
        return nextStep;
    }

    /**
     * @param heard whether an authenticated datagram came from the peer since the suspicion arose
     */
    Step step(Instant now, boolean heard) {
        if (heard) {
            return Step.ALIVE;
        }
        if (now.isBefore(nextStep)) {
            return Step.WAIT;
        }
        nextStep = now.plus(PROBE_INTERVAL);
        if (probesSent < PROBES) {
            probesSent++;
            return Step.PROBE;
        }
        return errors >= (answersProbes ? 1 : PROBES) ? Step.DEAD : Step.UNDECIDED;
    }

    int probesSent() {
        return probesSent;
    }

    int errors() {
        return errors;
    }

    boolean answersProbes() {
        return answersProbes;
    }
}
