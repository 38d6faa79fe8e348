package io.vpncloud.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vpncloud.core.CaptureFile;
import io.vpncloud.core.CaptureFile.Datagram;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every handshake message recorded from the reference decodes, carries what its stage needs, and re-encodes. */
class InitMessageCaptureTest {

    /** The algorithm each sender advertised in each capture, with its measured speed as recorded. */
    private static final Map<String, Map<String, AlgorithmSpeed>> ADVERTISED = Map.of(
            "capture-plain.txt", Map.of(
                    "node1", new AlgorithmSpeed(0, Float.POSITIVE_INFINITY),
                    "node2", new AlgorithmSpeed(0, Float.POSITIVE_INFINITY)),
            "capture-aes128.txt", Map.of(
                    "node1", new AlgorithmSpeed(1, 3227.542236328125f),
                    "node2", new AlgorithmSpeed(1, 3292.99365234375f)),
            "capture-chacha20.txt", Map.of(
                    "node1", new AlgorithmSpeed(3, 1552.663330078125f),
                    "node2", new AlgorithmSpeed(3, 1510.7802734375f)));

    @ParameterizedTest
    @ValueSource(strings = {"capture-plain.txt", "capture-aes128.txt", "capture-chacha20.txt"})
    void everyInitMessageDecodesWithTheFieldsOfItsStage(String file) throws MalformedMessageException {
        List<Datagram> inits = CaptureFile.load(file).initMessages();
        assertEquals(List.of(InitFields.PING, InitFields.PONG, InitFields.PENG),
                inits.stream().map(d -> decode(d).stage()).distinct().toList(), "handshake order in " + file);
        for (Datagram datagram : inits) {
            InitMessage message = InitMessage.decode(ByteBuffer.wrap(datagram.payload()));
            String sender = datagram.sender();
            assertEquals(message.stage() == InitFields.PONG ? "node1" : "node2", sender,
                    "node2 initiates: " + datagram);
            assertEquals(20, message.nodeHash().length);
            if (message.stage() == InitFields.PENG) {
                assertNull(message.ecdhPublicKey(), datagram.toString());
                assertNull(message.algorithms(), datagram.toString());
            } else {
                assertEquals(32, message.ecdhPublicKey().length, datagram.toString());
                assertEquals(List.of(ADVERTISED.get(file).get(sender)), message.algorithms(), datagram.toString());
            }
            if (message.stage() == InitFields.PING) {
                assertNull(message.payload(), datagram.toString());
            } else {
                assertNotNull(message.payload(), datagram.toString());
            }
            byte[] bytes = datagram.payload();
            assertArrayEquals(Arrays.copyOfRange(bytes, 1, 9), concat(message.keySalt(), message.keyHash()));
            assertArrayEquals(Arrays.copyOfRange(bytes, 1, bytes.length - 65), message.signedRegion());
            assertArrayEquals(Arrays.copyOfRange(bytes, bytes.length - 64, bytes.length), message.signature());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"capture-plain.txt", "capture-aes128.txt", "capture-chacha20.txt"})
    void reEncodingWithTheRecordedSignatureGivesTheSameBytes(String file) {
        for (Datagram datagram : CaptureFile.load(file).initMessages()) {
            InitMessage message = decode(datagram);
            byte[] encoded = InitMessage.encode(message.fields(), message.keySalt(), message.keyHash(), data -> {
                assertArrayEquals(message.signedRegion(), data, "signed bytes of " + datagram);
                return message.signature();
            });
            assertArrayEquals(datagram.payload(), encoded, datagram.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"capture-plain.txt", "capture-aes128.txt", "capture-chacha20.txt"})
    void pingAndPengOfOneHandshakeCarryTheSameNodeHash(String file) {
        List<Datagram> inits = CaptureFile.load(file).initMessages();
        InitMessage ping = decode(inits.get(0));
        InitMessage peng = inits.stream().map(InitMessageCaptureTest::decode)
                .filter(m -> m.stage() == InitFields.PENG).findFirst().orElseThrow();
        InitMessage pong = inits.stream().map(InitMessageCaptureTest::decode)
                .filter(m -> m.stage() == InitFields.PONG).findFirst().orElseThrow();
        assertArrayEquals(ping.nodeHash(), peng.nodeHash());
        assertFalse(Arrays.equals(ping.nodeHash(), pong.nodeHash()));
    }

    private static InitMessage decode(Datagram datagram) {
        try {
            return InitMessage.decode(ByteBuffer.wrap(datagram.payload()));
        } catch (MalformedMessageException e) {
            throw new AssertionError(datagram + ": " + e.reason(), e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] result = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, result, a.length, b.length);
        return result;
    }
}
