package io.vpncloud.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.core.crypto.HandshakeState.Abort;
import io.vpncloud.core.crypto.HandshakeState.Established;
import io.vpncloud.core.crypto.HandshakeState.Send;
import io.vpncloud.core.crypto.HandshakeState.Step;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Two handshake states connected by a network that loses, duplicates and reorders datagrams as a generated
 * schedule says, with ticks in between; afterwards the network heals. Both sides must end connected exactly once,
 * with each other's NodeInfo and a working session, without ever aborting.
 */
class HandshakeDeliveryPropertiesTest {

    /** One event of the schedule; {@code index} picks a datagram in flight (modulo their number). */
    record Action(Kind kind, int index) {
        enum Kind { DELIVER, DROP, DUPLICATE, TICK_FIRST, TICK_SECOND }
    }

    @Property(tries = 150)
    void handshakeCompletesUnderLossDuplicationAndReordering(@ForAll("schedules") List<Action> schedule,
            @ForAll boolean simultaneousOpen, @ForAll("algorithms") Algorithm algorithm) throws Exception {
        Node first = new Node(HandshakeFixture.context(HandshakeFixture.only(algorithm)));
        Node second = new Node(HandshakeFixture.context(HandshakeFixture.only(algorithm)));
        Network network = new Network(first, second);
        network.send(second, first.startInitiator());
        if (simultaneousOpen) {
            network.send(first, second.startInitiator());
        }
        for (Action action : schedule) {
            network.perform(action);
        }
        network.heal();

        assertEquals(1, first.established.size(), "first connected once");
        assertEquals(1, second.established.size(), "second connected once");
        Established a = first.established.get(0);
        Established b = second.established.get(0);
        assertNotEquals(a.wasInitiator(), b.wasInitiator(), "exactly one side was the initiator");
        assertTrue(simultaneousOpen || a.wasInitiator(), "without simultaneous open the starter stays A");
        assertEquals(second.context.ownInfo().get(), a.peerInfo());
        assertEquals(first.context.ownInfo().get(), b.peerInfo());
        assertEquals(algorithm, a.algorithm());
        HandshakeFixture.assertSessionWorks(a.cipher(), b.cipher());
    }

    @Provide
    Arbitrary<List<Action>> schedules() {
        Arbitrary<Action> actions = Combinators.combine(Arbitraries.of(Action.Kind.values()),
                Arbitraries.integers().between(0, 1000)).as(Action::new);
        return actions.list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<Algorithm> algorithms() {
        return Arbitraries.of(Algorithm.values());
    }

    /** One side: its handshake state (a responder is created by the first datagram) and what it reported. */
    private static final class Node {
        final HandshakeContext context;
        final List<Established> established = new ArrayList<>();
        HandshakeState state;

        Node(HandshakeContext context) {
            this.context = context;
        }

        byte[] startInitiator() {
            state = HandshakeState.initiator(context);
            return state.start();
        }

        /** Handles a datagram; returns what to send back, or null. */
        byte[] receive(byte[] datagram) {
            if (state == null) {
                state = HandshakeState.responder(context);
            }
            Step step = state.handle(ByteBuffer.wrap(datagram));
            if (step instanceof Abort abort) {
                throw new AssertionError("handshake aborted: " + abort.reason());
            }
            if (step instanceof Established done) {
                established.add(done);
                return done.datagramToSend();
            }
            return step instanceof Send send ? send.datagram() : null;
        }

        byte[] tick() {
            return state == null ? null : state.resendOnTick();
        }
    }

    private record InFlight(Node to, byte[] datagram) {
    }

    /** The datagrams in flight between the two nodes. */
    private static final class Network {
        private final Node first;
        private final Node second;
        private final List<InFlight> inFlight = new ArrayList<>();

        Network(Node first, Node second) {
            this.first = first;
            this.second = second;
        }

        void send(Node to, byte[] datagram) {
            if (datagram != null) {
                inFlight.add(new InFlight(to, datagram));
            }
        }

        void perform(Action action) {
            switch (action.kind()) {
                case TICK_FIRST -> send(second, first.tick());
                case TICK_SECOND -> send(first, second.tick());
                default -> {
                    if (inFlight.isEmpty()) {
                        return;
                    }
                    int index = action.index() % inFlight.size();
                    if (action.kind() == Action.Kind.DUPLICATE) {
                        inFlight.add(inFlight.get(index));
                    } else {
                        InFlight datagram = inFlight.remove(index);
                        if (action.kind() == Action.Kind.DELIVER) {
                            deliver(datagram);
                        }
                    }
                }
            }
        }

        /** Reliable, in-order delivery with ticks, until both sides are connected (or rounds run out). */
        void heal() {
            for (int round = 0; round < 5 && (first.established.isEmpty() || second.established.isEmpty()); round++) {
                send(second, first.tick());
                send(first, second.tick());
                for (int i = 0; i < 100 && !inFlight.isEmpty(); i++) {
                    deliver(inFlight.remove(0));
                }
            }
        }

        private void deliver(InFlight datagram) {
            Node from = datagram.to() == first ? second : first;
            send(from, datagram.to().receive(datagram.datagram()));
        }
    }
}
