package io.vpncloud.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.core.CaptureFile;
import io.vpncloud.core.CaptureFile.Datagram;
import io.vpncloud.core.wire.AlgorithmSpeed;
import io.vpncloud.core.wire.InitMessage;
import io.vpncloud.core.wire.MalformedMessageException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The init messages recorded from the reference verify with the key of {@code mysecret}, and only unmodified. */
class InitSignatureCaptureTest {

    private static final Identity MYSECRET = Identity.fromPassword("mysecret");
    private static final TrustedKeys TRUSTED = TrustedKeys.onlyOwn(MYSECRET);

    @ParameterizedTest
    @ValueSource(strings = {"capture-plain.txt", "capture-aes128.txt", "capture-chacha20.txt"})
    void everyInitMessageVerifiesWithTheMysecretKey(String file) throws MalformedMessageException {
        List<Datagram> inits = CaptureFile.load(file).initMessages();
        assertFalse(inits.isEmpty());
        for (Datagram datagram : inits) {
            InitMessage message = InitMessage.decode(ByteBuffer.wrap(datagram.payload()));
            byte[] key = TRUSTED.findByHash(message.keySalt(), message.keyHash()).orElseThrow();
            assertArrayEquals(MYSECRET.publicKey(), key);
            assertTrue(Identity.verify(key, message.signedRegion(), message.signature()), datagram.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"capture-plain.txt", "capture-aes128.txt", "capture-chacha20.txt"})
    void anyFlippedByteOfSignedRegionOrSignatureIsRejected(String file) throws MalformedMessageException {
        for (Datagram datagram : CaptureFile.load(file).initMessages()) {
            InitMessage message = InitMessage.decode(ByteBuffer.wrap(datagram.payload()));
            byte[] key = MYSECRET.publicKey();
            byte[] signed = message.signedRegion();
            for (int i = 0; i < signed.length; i++) {
                byte[] tampered = signed.clone();
                tampered[i] ^= 0x01;
                assertFalse(Identity.verify(key, tampered, message.signature()), datagram + " signed byte " + i);
            }
            byte[] signature = message.signature();
            for (int i = 0; i < signature.length; i++) {
                byte[] tampered = signature.clone();
                tampered[i] ^= 0x01;
                assertFalse(Identity.verify(key, signed, tampered), datagram + " signature byte " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"capture-plain.txt", "capture-aes128.txt", "capture-chacha20.txt"})
    void aResponderAnswersTheCapturedPingOnlyWhenUntouched(String file) {
        Datagram ping = CaptureFile.load(file).initMessages().get(0);
        HandshakeContext context = HandshakeFixture.context(MYSECRET, TRUSTED, List.of(
                new AlgorithmSpeed(0, Float.POSITIVE_INFINITY),
                new AlgorithmSpeed(1, 100f),
                new AlgorithmSpeed(3, 100f)));
        assertInstanceOf(HandshakeState.Send.class,
                HandshakeState.responder(context).handle(ByteBuffer.wrap(ping.payload())));

        byte[] bytes = ping.payload();
        byte[] lastSignatureByte = bytes.clone();
        lastSignatureByte[bytes.length - 1] ^= 0x40;
        assertEquals(new HandshakeState.Ignore("invalid signature"),
                HandshakeState.responder(context).handle(ByteBuffer.wrap(lastSignatureByte)));
        byte[] nodeHashByte = bytes.clone();
        nodeHashByte[20] ^= 0x01; // inside the salted node id hash (field 2 starts at byte 13)
        assertEquals(new HandshakeState.Ignore("invalid signature"),
                HandshakeState.responder(context).handle(ByteBuffer.wrap(nodeHashByte)));

        HandshakeContext stranger = HandshakeFixture.context(HandshakeFixture.IDENTITY, HandshakeFixture.TRUSTED,
                HandshakeFixture.defaults());
        assertEquals(new HandshakeState.Ignore("untrusted peer"),
                HandshakeState.responder(stranger).handle(ByteBuffer.wrap(bytes)));
    }
}
