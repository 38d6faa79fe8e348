package io.vpncloud.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vpncloud.core.CaptureFile;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Round trips of every codec, and decoders fed random or damaged bytes raise only MalformedMessageException. */
class WireCodecPropertiesTest {

    private static final byte[] NO_SIGNATURE = new byte[64];

    @Property(tries = 200)
    void nodeInfoRoundTrip(@ForAll("nodeInfos") NodeInfo info) throws MalformedMessageException {
        ByteBuffer out = ByteBuffer.allocate(info.encodedLength() + 7);
        info.encode(out);
        assertEquals(info.encodedLength(), out.position(), "encodedLength matches what encode writes");
        out.put(new byte[] {1, 2, 3, 4, 5, 6, 7}).flip();
        NodeInfo decoded = NodeInfo.decode(out);
        assertEquals(WireArbitraries.truncatedToWireLimits(info), decoded);
        assertEquals(7, out.remaining(), "decoding stops after the end marker");
        assertArrayEquals(decoded.toBytes(), info.toBytes(), "truncation happens on encoding only");
    }

    @Property(tries = 200)
    void initMessageRoundTrip(@ForAll("initFields") InitFields fields, @ForAll("salts") byte[] salt,
            @ForAll("salts") byte[] hash, @ForAll("signatures") byte[] signature) throws MalformedMessageException {
        byte[] datagram = InitMessage.encode(fields, salt, hash, data -> signature);
        InitMessage decoded = InitMessage.decode(ByteBuffer.wrap(datagram));
        assertEquals(fields, decoded.fields());
        assertArrayEquals(salt, decoded.keySalt());
        assertArrayEquals(hash, decoded.keyHash());
        assertArrayEquals(signature, decoded.signature());
        assertArrayEquals(Arrays.copyOfRange(datagram, 1, datagram.length - 65), decoded.signedRegion());
        assertEquals(MessageType.INIT_MARKER, datagram[0] & 0xFF);
    }

    @Property(tries = 200)
    void rotationMessageRoundTrip(@ForAll("rotationMessages") RotationMessage message)
            throws MalformedMessageException {
        ByteBuffer out = ByteBuffer.allocate(message.encodedLength());
        message.encode(out);
        assertFalse(out.hasRemaining());
        assertEquals(message, RotationMessage.decode(out.flip()));
        assertEquals(message.hasConfirm() ? 74 : 42, message.encodedLength());
    }

    @Property(tries = 300)
    void randomBytesRaiseOnlyMalformed(@ForAll("randomBytes") byte[] bytes) {
        decodeWithEveryDecoder(bytes);
        byte[] init = bytes.clone();
        if (init.length > 0) {
            init[0] = (byte) MessageType.INIT_MARKER;
        }
        decodeWithEveryDecoder(init);
    }

    @Property(tries = 300)
    void damagedNodeInfoRaisesOnlyMalformed(@ForAll("damagedNodeInfos") byte[] bytes) {
        decodeWithEveryDecoder(bytes);
    }

    @Property(tries = 300)
    void damagedInitMessagesRaiseOnlyMalformed(@ForAll("damagedInitMessages") byte[] bytes) {
        decodeWithEveryDecoder(bytes);
    }

    @Property(tries = 200)
    void damagedRotationMessagesRaiseOnlyMalformed(@ForAll("damagedRotationMessages") byte[] bytes) {
        decodeWithEveryDecoder(bytes);
    }

    /**
     * Feeds the bytes to every decoder: any unchecked exception fails the property, and a decoder that does not
     * return within a second fails it too.
     */
    private static void decodeWithEveryDecoder(byte[] bytes) {
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            attempt(() -> NodeInfo.decode(ByteBuffer.wrap(bytes)));
            attempt(() -> InitMessage.decode(ByteBuffer.wrap(bytes)));
            attempt(() -> RotationMessage.decode(ByteBuffer.wrap(bytes)));
        });
    }

    private interface Decoding {
        Object run() throws MalformedMessageException;
    }

    private static void attempt(Decoding decoding) {
        try {
            decoding.run();
        } catch (MalformedMessageException expected) {
            assertFalse(expected.reason().isEmpty(), "a reason is given");
        }
    }

    @Provide
    Arbitrary<NodeInfo> nodeInfos() {
        return WireArbitraries.nodeInfos();
    }

    @Provide
    Arbitrary<InitFields> initFields() {
        return WireArbitraries.initFields();
    }

    @Provide
    Arbitrary<RotationMessage> rotationMessages() {
        return WireArbitraries.rotationMessages();
    }

    @Provide
    Arbitrary<byte[]> salts() {
        return WireArbitraries.bytes(4);
    }

    @Provide
    Arbitrary<byte[]> signatures() {
        return WireArbitraries.bytes(64);
    }

    @Provide
    Arbitrary<byte[]> randomBytes() {
        return WireArbitraries.bytes(0, 300);
    }

    @Provide
    Arbitrary<byte[]> damagedNodeInfos() {
        return WireArbitraries.mutated(WireArbitraries.nodeInfos().map(NodeInfo::toBytes));
    }

    @Provide
    Arbitrary<byte[]> damagedInitMessages() {
        List<byte[]> captured = List.of("capture-plain.txt", "capture-aes128.txt", "capture-chacha20.txt").stream()
                .flatMap(name -> CaptureFile.load(name).initMessages().stream())
                .map(CaptureFile.Datagram::payload)
                .toList();
        Arbitrary<byte[]> generated = WireArbitraries.initFields()
                .map(fields -> InitMessage.encode(fields, new byte[4], new byte[4], data -> NO_SIGNATURE));
        return WireArbitraries.mutated(Arbitraries.oneOf(Arbitraries.of(captured), generated));
    }

    @Provide
    Arbitrary<byte[]> damagedRotationMessages() {
        return WireArbitraries.mutated(WireArbitraries.rotationMessages().map(message -> {
            ByteBuffer out = ByteBuffer.allocate(message.encodedLength());
            message.encode(out);
            return out.array();
        }));
    }
}
