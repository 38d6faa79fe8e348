package io.vpncloud.core.crypto;

import static io.vpncloud.core.crypto.HandshakeFixture.assertSessionWorks;
import static io.vpncloud.core.crypto.HandshakeFixture.completeHandshake;
import static io.vpncloud.core.crypto.HandshakeFixture.context;
import static io.vpncloud.core.crypto.HandshakeFixture.wrap;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.core.crypto.HandshakeState.Abort;
import io.vpncloud.core.crypto.HandshakeState.Established;
import io.vpncloud.core.crypto.HandshakeState.Ignore;
import io.vpncloud.core.crypto.HandshakeState.Send;
import io.vpncloud.core.wire.AlgorithmSpeed;
import io.vpncloud.core.wire.InitFields;
import io.vpncloud.core.wire.InitMessage;
import io.vpncloud.core.wire.MalformedMessageException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HandshakeStateTest {

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void completesWithEachAlgorithmAndTheSessionWorksBothWays(Algorithm algorithm) throws Exception {
        HandshakeContext contextA = context(HandshakeFixture.only(algorithm));
        HandshakeContext contextB = context(HandshakeFixture.only(algorithm));
        Established[] result = completeHandshake(contextA, contextB);
        Established a = result[0];
        Established b = result[1];

        assertTrue(a.wasInitiator());
        assertFalse(b.wasInitiator());
        assertNull(b.datagramToSend());
        assertEquals(algorithm, a.algorithm());
        assertEquals(algorithm, b.algorithm());
        assertEquals(algorithm, a.cipher().algorithm());
        assertEquals(contextB.ownInfo().get(), a.peerInfo());
        assertEquals(contextA.ownInfo().get(), b.peerInfo());
        assertEquals(contextB.nodeId(), a.peerNodeId());
        assertEquals(contextA.nodeId(), b.peerNodeId());
        assertSessionWorks(a.cipher(), b.cipher());
    }

    @Test
    void choosesTheFastestCommonAlgorithmOnBothSides() {
        HandshakeContext contextA = context(List.of(new AlgorithmSpeed(1, 600f), new AlgorithmSpeed(2, 500f),
                new AlgorithmSpeed(3, 400f)));
        HandshakeContext contextB = context(List.of(new AlgorithmSpeed(1, 100f), new AlgorithmSpeed(2, 450f),
                new AlgorithmSpeed(3, 900f)));
        Established[] result = completeHandshake(contextA, contextB);
        assertEquals(Algorithm.AES256, result[0].algorithm(), "min speeds 100, 450, 400");
        assertEquals(Algorithm.AES256, result[1].algorithm());
    }

    @Test
    void plaintextOnlyIfBothAllowIt() {
        List<AlgorithmSpeed> plainAndAes = List.of(new AlgorithmSpeed(0, Float.POSITIVE_INFINITY),
                new AlgorithmSpeed(1, 10f));
        assertEquals(Algorithm.AES128, completeHandshake(context(plainAndAes), context(HandshakeFixture.defaults()))[0]
                .algorithm());
        assertEquals(Algorithm.PLAINTEXT, completeHandshake(context(plainAndAes), context(plainAndAes))[1]
                .algorithm());
    }

    @Test
    void noCommonAlgorithmAbortsTheResponder() {
        HandshakeState initiator = HandshakeState.initiator(context(HandshakeFixture.only(Algorithm.AES128)));
        HandshakeState responder = HandshakeState.responder(context(HandshakeFixture.only(Algorithm.CHACHA20)));
        assertEquals(new Abort("no common algorithm", false), responder.handle(wrap(initiator.start())));
        assertInstanceOf(Ignore.class, responder.handle(wrap(initiator.start())), "a failed state stays failed");
    }

    @Test
    void repeatedPongIsAnsweredWithTheSamePeng() {
        HandshakeState initiator = HandshakeState.initiator(context(HandshakeFixture.defaults()));
        HandshakeState responder = HandshakeState.responder(context(HandshakeFixture.defaults()));
        byte[] pong = ((Send) responder.handle(wrap(initiator.start()))).datagram();
        byte[] peng = ((Established) initiator.handle(wrap(pong))).datagramToSend();

        assertTrue(initiator.expectsRepeatedPong(wrap(pong)));
        assertArrayEquals(peng, ((Send) initiator.handle(wrap(pong))).datagram());
        assertNull(initiator.resendOnTick(), "a finished initiator does not resend by itself");
        assertInstanceOf(Established.class, responder.handle(wrap(peng)));
        assertEquals(new Ignore("handshake already finished"), responder.handle(wrap(peng)));

        byte[] pingOfRestartedPeer = HandshakeState.initiator(context(HandshakeFixture.defaults())).start();
        assertFalse(initiator.expectsRepeatedPong(wrap(pingOfRestartedPeer)));
    }

    @Test
    void repeatedPingIsAnsweredWithTheSamePong() {
        HandshakeState initiator = HandshakeState.initiator(context(HandshakeFixture.defaults()));
        HandshakeState responder = HandshakeState.responder(context(HandshakeFixture.defaults()));
        byte[] pong = ((Send) responder.handle(wrap(initiator.start()))).datagram();
        assertArrayEquals(pong, ((Send) responder.handle(wrap(initiator.start()))).datagram());
        assertArrayEquals(pong, responder.resendOnTick());
    }

    @Test
    void anythingButPingAsFirstMessageAbortsAFreshResponder() {
        HandshakeState initiator = HandshakeState.initiator(context(HandshakeFixture.defaults()));
        HandshakeState responder = HandshakeState.responder(context(HandshakeFixture.defaults()));
        byte[] pong = ((Send) responder.handle(wrap(initiator.start()))).datagram();
        assertEquals(new Abort("stage 2 as first message", false),
                HandshakeState.responder(context(HandshakeFixture.defaults())).handle(wrap(pong)));
    }

    @Test
    void resendsTheLastMessageEveryTickAndGivesUpAfter120() {
        HandshakeState initiator = HandshakeState.initiator(context(HandshakeFixture.defaults()));
        byte[] ping = initiator.start();
        for (int i = 0; i < HandshakeState.MAX_RESENDS; i++) {
            assertArrayEquals(ping, initiator.resendOnTick(), "resend " + (i + 1));
            assertFalse(initiator.isAbandoned());
        }
        assertNull(initiator.resendOnTick());
        assertTrue(initiator.isAbandoned());
        assertInstanceOf(Ignore.class, initiator.handle(wrap(ping)));
    }

    @Test
    void progressResetsTheResendCount() {
        HandshakeState initiator = HandshakeState.initiator(context(HandshakeFixture.defaults()));
        HandshakeState responder = HandshakeState.responder(context(HandshakeFixture.defaults()));
        for (int i = 0; i < 100; i++) {
            responder.resendOnTick();
        }
        responder.handle(wrap(initiator.start()));
        for (int i = 0; i < HandshakeState.MAX_RESENDS; i++) {
            assertTrue(responder.resendOnTick() != null, "PONG resend " + (i + 1));
        }
        assertNull(responder.resendOnTick());
        assertTrue(responder.isAbandoned());
    }

    @Test
    void simultaneousOpenMakesTheSmallerHashTheResponder() throws Exception {
        HandshakeContext contextOne = context(HandshakeFixture.defaults());
        HandshakeContext contextTwo = context(HandshakeFixture.defaults());
        HandshakeState one = HandshakeState.initiator(contextOne);
        HandshakeState two = HandshakeState.initiator(contextTwo);
        byte[] pingOne = one.start();
        byte[] pingTwo = two.start();
        boolean oneIsGreater = Arrays.compareUnsigned(nodeHash(pingOne), nodeHash(pingTwo)) > 0;
        HandshakeState greater = oneIsGreater ? one : two;
        HandshakeState smaller = oneIsGreater ? two : one;
        byte[] greaterPing = oneIsGreater ? pingOne : pingTwo;
        byte[] smallerPing = oneIsGreater ? pingTwo : pingOne;

        assertEquals(new Ignore("simultaneous open: the peer will answer our PING"), greater.handle(wrap(smallerPing)));
        byte[] pong = assertInstanceOf(Send.class, smaller.handle(wrap(greaterPing))).datagram();
        assertEquals(InitFields.PONG, InitMessage.decode(ByteBuffer.wrap(pong)).stage());
        Established a = assertInstanceOf(Established.class, greater.handle(wrap(pong)));
        Established b = assertInstanceOf(Established.class, smaller.handle(wrap(a.datagramToSend())));
        assertTrue(a.wasInitiator());
        assertFalse(b.wasInitiator());
        assertSessionWorks(a.cipher(), b.cipher());
    }

    @Test
    void selfConnectionIsDetectedByBothChecks() {
        HandshakeContext self = context(HandshakeFixture.defaults());
        HandshakeState initiator = HandshakeState.initiator(self);
        byte[] ping = initiator.start();
        assertEquals(new Abort("connected to itself", true), initiator.handle(wrap(ping)), "own salted hash");
        assertEquals(new Abort("connected to itself", true), HandshakeState.responder(self).handle(wrap(ping)),
                "own node id under the message's salt");
    }

    @Test
    void untrustedKeysAndBadSignaturesAreIgnored() {
        Identity stranger = Identity.fromPrivateKey(new byte[32]);
        HandshakeContext strangerContext = context(stranger, TrustedKeys.onlyOwn(stranger),
                HandshakeFixture.defaults());
        byte[] strangerPing = HandshakeState.initiator(strangerContext).start();
        HandshakeState responder = HandshakeState.responder(context(HandshakeFixture.defaults()));
        assertEquals(new Ignore("untrusted peer"), responder.handle(wrap(strangerPing)));

        byte[] ping = HandshakeState.initiator(context(HandshakeFixture.defaults())).start();
        ping[ping.length - 10] ^= 0x10;
        assertEquals(new Ignore("invalid signature"), responder.handle(wrap(ping)));
        assertEquals(new Ignore("malformed init message: truncated message: need 4 bytes, have 2"),
                responder.handle(wrap(new byte[] {(byte) 0xFF, 1, 2})));
    }

    @Test
    void tamperedPayloadCiphertextAbortsEvenWhenSignedByATrustedKey() throws MalformedMessageException {
        HandshakeState initiator = HandshakeState.initiator(context(HandshakeFixture.defaults()));
        HandshakeState responder = HandshakeState.responder(context(HandshakeFixture.defaults()));
        InitMessage pong = InitMessage.decode(wrap(((Send) responder.handle(wrap(initiator.start()))).datagram()));
        byte[] payload = pong.payload();
        payload[payload.length - 1] ^= 0x01;
        InitFields tampered = InitFields.pong(pong.nodeHash(), pong.ecdhPublicKey(), pong.algorithms(), payload);
        byte[] resigned = InitMessage.encode(tampered, pong.keySalt(), pong.keyHash(), HandshakeFixture.IDENTITY::sign);
        assertEquals(new Abort("cannot decrypt or decode the PONG payload", false), initiator.handle(wrap(resigned)));
    }

    @Test
    void tamperedSessionDatagramsAreRejected() throws Exception {
        Established[] result = completeHandshake(context(HandshakeFixture.defaults()),
                context(HandshakeFixture.defaults()));
        byte[] datagram = HandshakeFixture.encrypt(result[0].cipher(), new byte[] {0, 1, 2, 3});
        byte[] tampered = datagram.clone();
        tampered[9] ^= 0x01;
        assertThrows(AuthenticationFailedException.class,
                () -> HandshakeFixture.decrypt(result[1].cipher(), tampered));
        assertArrayEquals(new byte[] {0, 1, 2, 3}, HandshakeFixture.decrypt(result[1].cipher(), datagram));
        assertThrows(AuthenticationFailedException.class, () -> HandshakeFixture.decrypt(result[1].cipher(), datagram),
                "replayed");
    }

    private static byte[] nodeHash(byte[] datagram) throws MalformedMessageException {
        return InitMessage.decode(ByteBuffer.wrap(datagram)).nodeHash();
    }
}
