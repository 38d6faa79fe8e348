package io.vpncloud.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.core.wire.MessageType;
import io.vpncloud.core.wire.RotationMessage;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Two ends of one session rotate keys over many intervals, sending the rotation messages as encrypted session
 * messages and traffic in both directions between steps.
 */
class KeyRotationTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One end: its cipher, its rotation, and the send slots it has used. */
    record Side(String name, SessionCipher cipher, KeyRotation rotation, Set<Integer> sendSlots) {
        static Side of(String name, SessionCipher cipher, boolean starter) {
            return new Side(name, cipher, new KeyRotation(cipher, starter, RANDOM), new HashSet<>());
        }
    }

    private final byte[] secret = new byte[32];
    private final Side a;
    private final Side b;
    private final List<Long> sentIds = new ArrayList<>();
    private int traffic;

    KeyRotationTest() {
        RANDOM.nextBytes(secret);
        a = Side.of("A", SessionCipher.create(Algorithm.CHACHA20, secret, false, RANDOM), false);
        b = Side.of("B", SessionCipher.create(Algorithm.CHACHA20, secret, true, RANDOM), true);
    }

    @Test
    void idsAlternateBetweenTheSidesAndEveryMessageDecrypts() throws Exception {
        send(b, a, b.rotation().start(), m -> false);
        for (int step = 0; step < 50; step++) {
            runStep(true, m -> false);
        }
        assertEquals(1L, sentIds.get(0));
        for (int i = 1; i < sentIds.size(); i++) {
            assertEquals(i + 1L, sentIds.get(i), "ids " + sentIds);
        }
        assertEquals(101, sentIds.size(), "each side sends one new message per step, answering the other at once");
        assertEquals(Set.of(0, 1, 3), a.sendSlots(), "A switches to the odd slots of B's messages");
        assertEquals(Set.of(0, 2), b.sendSlots(), "B switches to the even slots of A's messages");
        assertHandshakeKeyRetired();
    }

    @Property(tries = 15)
    void survivesLostMessagesAndAnyTickOrder(@ForAll long seed) throws Exception {
        Random random = new Random(seed);
        Order[] orders = Order.values();
        send(b, a, b.rotation().start(), m -> random.nextInt(4) == 0);
        for (int step = 0; step < 40; step++) {
            runStep(orders[random.nextInt(orders.length)], m -> random.nextInt(4) == 0);
        }
        long highestBeforeRecovery = sentIds.stream().mapToLong(Long::longValue).max().orElse(0);
        for (int step = 0; step < 10; step++) {
            runStep(orders[random.nextInt(orders.length)], m -> false);
        }
        long highest = sentIds.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(highest >= highestBeforeRecovery + 4, "rotation goes on after losses: " + sentIds);
    }

    @Test
    void recoversWhenTheFirstMessageIsLost() throws Exception {
        send(b, a, b.rotation().start(), m -> true);
        runStep(true, m -> false);
        assertEquals(Set.of(0), b.sendSlots(), "nothing confirmed yet");
        runStep(true, m -> false);
        assertEquals(List.of(1L, 1L), sentIds, "B resent id 1 on the second step");
        runStep(true, m -> false);
        assertEquals(Set.of(0, 2), b.sendSlots());
    }

    @Test
    void recoversWhenAConfirmationIsLost() throws Exception {
        send(b, a, b.rotation().start(), m -> false);
        runStep(true, m -> m.messageId() == 3);
        assertEquals(List.of(1L, 2L, 3L), sentIds);
        assertEquals(Set.of(0), a.sendSlots(), "A's proposal is unconfirmed");
        runStep(true, m -> false);
        assertEquals(Set.of(0), a.sendSlots(), "both wait one step");
        runStep(true, m -> false);
        assertEquals(List.of(1L, 2L, 3L, 2L, 3L), sentIds, "both resend");
        assertTrue(a.sendSlots().contains(3), "the resent message 3 confirmed A's proposal");
        for (int step = 0; step < 6; step++) {
            runStep(true, m -> false);
        }
        assertTrue(a.sendSlots().contains(1) && b.sendSlots().contains(0));
    }

    @Test
    void ignoresRepeatedAndOldMessages() throws Exception {
        RotationMessage first = b.rotation().start().orElseThrow();
        a.rotation().handle(first);
        RotationMessage reply = a.rotation().tick().orElseThrow();
        b.rotation().handle(reply);
        assertEquals(2, b.cipher().sendSlot());
        b.rotation().handle(reply);
        a.rotation().handle(first);
        assertEquals(Optional.empty(), a.rotation().tick(), "the repeat created no new pending key");
        assertEquals(2, b.cipher().sendSlot());
    }

    @Test
    void onlyTheStarterStartsAndPlaintextCannotRotate() {
        assertEquals(Optional.empty(), a.rotation().start());
        assertEquals(1, b.rotation().start().orElseThrow().messageId());
        assertEquals(Optional.empty(), b.rotation().start(), "only once");
        assertThrows(IllegalArgumentException.class,
                () -> new KeyRotation(SessionCipher.plaintext(), true, RANDOM));
    }

    /** After four rotations per side, slot 0 no longer opens datagrams made with the handshake key. */
    private void assertHandshakeKeyRetired() {
        SessionCipher handshakeOnly = SessionCipher.create(Algorithm.CHACHA20, secret, true, RANDOM);
        byte[] datagram = SessionCipherTest.encrypt(handshakeOnly, new byte[] {MessageType.DATA});
        assertThrows(AuthenticationFailedException.class, () -> SessionCipherTest.decrypt(a.cipher(), datagram));
    }

    /** How the two sides' ticks of one step meet: one after the other, or both before any delivery. */
    enum Order { A_FIRST, B_FIRST, SIMULTANEOUS }

    private void runStep(boolean aFirst, Predicate<RotationMessage> lost) throws Exception {
        runStep(aFirst ? Order.A_FIRST : Order.B_FIRST, lost);
    }

    /** Both sides tick, their messages are delivered unless lost, then traffic flows both ways. */
    private void runStep(Order order, Predicate<RotationMessage> lost) throws Exception {
        Side first = order == Order.B_FIRST ? b : a;
        Side second = order == Order.B_FIRST ? a : b;
        if (order == Order.SIMULTANEOUS) {
            Optional<RotationMessage> fromFirst = first.rotation().tick();
            Optional<RotationMessage> fromSecond = second.rotation().tick();
            send(first, second, fromFirst, lost);
            send(second, first, fromSecond, lost);
        } else {
            send(first, second, first.rotation().tick(), lost);
            send(second, first, second.rotation().tick(), lost);
        }
        exchangeTraffic();
    }

    private void send(Side from, Side to, Optional<RotationMessage> message, Predicate<RotationMessage> lost)
            throws Exception {
        if (message.isEmpty()) {
            return;
        }
        sentIds.add(message.get().messageId());
        ByteBuffer body = ByteBuffer.allocate(1 + message.get().encodedLength());
        body.put((byte) MessageType.ROTATION);
        message.get().encode(body);
        byte[] datagram = SessionCipherTest.encrypt(from.cipher(), body.array());
        from.sendSlots().add(from.cipher().sendSlot());
        if (lost.test(message.get())) {
            return;
        }
        ByteBuffer received = ByteBuffer.wrap(SessionCipherTest.decrypt(to.cipher(), datagram));
        assertEquals(MessageType.ROTATION, received.get());
        to.rotation().handle(RotationMessage.decode(received));
        assertFalse(received.hasRemaining());
    }

    private void exchangeTraffic() throws Exception {
        for (Side[] direction : new Side[][] {{a, b}, {b, a}}) {
            for (int i = 0; i < 3; i++) {
                byte[] message = ByteBuffer.allocate(20).put((byte) MessageType.DATA).putInt(traffic++).array();
                byte[] datagram = SessionCipherTest.encrypt(direction[0].cipher(), message);
                direction[0].sendSlots().add(direction[0].cipher().sendSlot());
                assertArrayEquals(message, SessionCipherTest.decrypt(direction[1].cipher(), datagram),
                        "from " + direction[0].name() + " with slot " + datagram[0]);
            }
        }
    }
}
