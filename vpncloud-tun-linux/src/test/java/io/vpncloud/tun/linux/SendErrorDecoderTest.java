package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.jna.Memory;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.SendError;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Error queue entries written by hand the way the kernel lays them out ({@code struct cmsghdr},
 * {@code struct sock_extended_err}, offender address), to show that anything else than a well-formed ICMP report
 * is turned down rather than misread.
 */
class SendErrorDecoderTest {

    private static final InetSocketAddress DESTINATION = new InetSocketAddress("192.0.2.7", 3210);
    private static final InetSocketAddress ROUTER = new InetSocketAddress("198.51.100.1", 0);
    private static final int ICMP = SendErrorDecoder.SO_EE_ORIGIN_ICMP;
    private static final int ICMP6 = SendErrorDecoder.SO_EE_ORIGIN_ICMP6;
    private static final int SO_EE_ORIGIN_LOCAL = 1;

    private MessageHeader header;

    @BeforeEach
    void newHeader() {
        LoopbackUdp.assumeAvailable(); // native memory through JNA
        header = new MessageHeader(SendErrorReader.CONTROL_CAPACITY);
    }

    @Test
    void portUnreachableOverIpv4() throws IOException {
        writeName(DESTINATION, LibC.AF_INET);
        int length = writeError(0, SocketLibC.SOL_IP, SocketLibC.IP_RECVERR, ICMP, 3, 3, ROUTER, LibC.AF_INET);
        header.setControlLength(length);

        assertEquals(new SendError(PeerAddress.of(DESTINATION), SendError.Kind.PORT_UNREACHABLE,
                Optional.of(ROUTER.getAddress())), SendErrorDecoder.decode(header, 0));
    }

    /** What a dual-stack socket gets for an IPv4 destination: IPv4-mapped addresses in IPv6 structures. */
    @Test
    void ipv4ErrorOnADualStackSocketComesAsPlainIpv4() throws IOException {
        writeName(DESTINATION, SocketLibC.AF_INET6);
        int length = writeError(0, SocketLibC.IPPROTO_IPV6, SocketLibC.IPV6_RECVERR, ICMP, 3, 1, ROUTER,
                SocketLibC.AF_INET6);
        header.setControlLength(length);

        SendError error = SendErrorDecoder.decode(header, 0);

        assertEquals(new SendError(PeerAddress.of(DESTINATION), SendError.Kind.HOST_UNREACHABLE,
                Optional.of(ROUTER.getAddress())), error);
    }

    @Test
    void theReportIsFoundAfterAnotherControlMessage() throws IOException {
        writeName(DESTINATION, LibC.AF_INET);
        int first = writeControlMessage(0, SocketLibC.SOL_IP, 8 /* IP_PKTINFO */, 12);
        int length = writeError(first, SocketLibC.SOL_IP, SocketLibC.IP_RECVERR, ICMP, 3, 3, ROUTER, LibC.AF_INET);
        header.setControlLength(first + length);

        assertEquals(SendError.Kind.PORT_UNREACHABLE, SendErrorDecoder.decode(header, 0).kind());
    }

    @Test
    void anOffenderThatDoesNotFitIsLeftOut() throws IOException {
        writeName(DESTINATION, LibC.AF_INET);
        writeError(0, SocketLibC.SOL_IP, SocketLibC.IP_RECVERR, ICMP, 3, 3, ROUTER, LibC.AF_INET);
        header.memory().setLong(header.controlOffset(), MessageHeader.CMSG_HEADER_SIZE
                + SendErrorDecoder.EXTENDED_ERROR_SIZE + 8);
        header.setControlLength(MessageHeader.CMSG_HEADER_SIZE + SendErrorDecoder.EXTENDED_ERROR_SIZE + 8);

        assertEquals(Optional.empty(), SendErrorDecoder.decode(header, 0).reporter());
    }

    @Test
    void aTruncatedControlAreaIsTurnedDown() throws IOException {
        writeName(DESTINATION, LibC.AF_INET);
        header.setControlLength(writeError(0, SocketLibC.SOL_IP, SocketLibC.IP_RECVERR, ICMP, 3, 3, ROUTER,
                LibC.AF_INET));

        assertNull(SendErrorDecoder.decode(header, SocketLibC.MSG_CTRUNC));
    }

    @Test
    void aLocalErrorIsNoReportAboutTheDestination() throws IOException {
        writeName(DESTINATION, LibC.AF_INET);
        header.setControlLength(writeError(0, SocketLibC.SOL_IP, SocketLibC.IP_RECVERR, SO_EE_ORIGIN_LOCAL, 0, 0,
                ROUTER, 0));

        assertNull(SendErrorDecoder.decode(header, 0));
    }

    @Test
    void anEntryWithoutAnErrorMessageIsTurnedDown() throws IOException {
        writeName(DESTINATION, LibC.AF_INET);
        header.setControlLength(writeControlMessage(0, SocketLibC.SOL_IP, 8, 12));

        assertNull(SendErrorDecoder.decode(header, 0));
    }

    @ParameterizedTest(name = "cmsg_len {0}")
    @CsvSource({"0", "15", "20", "31", "1000"})
    void aControlMessageOfImpossibleLengthIsTurnedDown(long cmsgLength) throws IOException {
        writeName(DESTINATION, LibC.AF_INET);
        int length = writeError(0, SocketLibC.SOL_IP, SocketLibC.IP_RECVERR, ICMP, 3, 3, ROUTER, LibC.AF_INET);
        header.memory().setLong(header.controlOffset(), cmsgLength);
        header.setControlLength(length);

        assertNull(SendErrorDecoder.decode(header, 0));
    }

    @Test
    void aDestinationOfAnUnknownFamilyOrCutShortIsTurnedDown() throws IOException {
        int length = writeError(0, SocketLibC.SOL_IP, SocketLibC.IP_RECVERR, ICMP, 3, 3, ROUTER, LibC.AF_INET);
        header.setControlLength(length);

        writeName(DESTINATION, LibC.AF_INET);
        header.setNameLength(8);
        assertNull(SendErrorDecoder.decode(header, 0), "a name shorter than sockaddr_in");

        writeName(DESTINATION, LibC.AF_INET);
        header.memory().setShort(header.nameOffset(), (short) 1 /* AF_UNIX */);
        assertNull(SendErrorDecoder.decode(header, 0), "a name of another family");
    }

    @ParameterizedTest(name = "origin {0} type {1} code {2}: {3}")
    @CsvSource({
            "2, 3, 3, PORT_UNREACHABLE", "2, 3, 1, HOST_UNREACHABLE", "2, 3, 10, HOST_UNREACHABLE",
            "2, 3, 0, OTHER", "2, 3, 13, OTHER", "2, 11, 0, OTHER",
            "3, 1, 4, PORT_UNREACHABLE", "3, 1, 3, HOST_UNREACHABLE", "3, 1, 1, OTHER", "3, 3, 0, OTHER"})
    void kinds(int origin, int type, int code, SendError.Kind kind) {
        assertEquals(kind, SendErrorDecoder.kind(origin, type, code));
    }

    @Test
    void icmp6PortUnreachableOverIpv6() throws IOException {
        InetSocketAddress destination = new InetSocketAddress("2001:db8::7", 3210);
        InetSocketAddress host = new InetSocketAddress("2001:db8::7", 0);
        writeName(destination, SocketLibC.AF_INET6);
        header.setControlLength(writeError(0, SocketLibC.IPPROTO_IPV6, SocketLibC.IPV6_RECVERR, ICMP6, 1, 4, host,
                SocketLibC.AF_INET6));

        assertEquals(new SendError(PeerAddress.of(destination), SendError.Kind.PORT_UNREACHABLE,
                Optional.of(InetAddress.getByName("2001:db8::7"))), SendErrorDecoder.decode(header, 0));
    }

    private void writeName(InetSocketAddress address, int family) throws IOException {
        header.setNameLength(Sockaddr.write(header.memory(), header.nameOffset(), address, family));
    }

    /**
     * Writes an error control message at {@code offset} of the control area, with the offender as a socket address
     * of {@code offenderFamily} (0: none); returns its aligned length.
     */
    private int writeError(int offset, int level, int type, int origin, int icmpType, int icmpCode,
            InetSocketAddress offender, int offenderFamily) throws IOException {
        int addressSize = offenderFamily == LibC.AF_INET ? Sockaddr.IPV4_SIZE : Sockaddr.IPV6_SIZE;
        int dataLength = SendErrorDecoder.EXTENDED_ERROR_SIZE + addressSize;
        int aligned = writeControlMessage(offset, level, type, dataLength);
        Memory memory = header.memory();
        long data = header.controlOffset() + offset + MessageHeader.CMSG_HEADER_SIZE;
        memory.setInt(data, 111);
        memory.setByte(data + 4, (byte) origin);
        memory.setByte(data + 5, (byte) icmpType);
        memory.setByte(data + 6, (byte) icmpCode);
        long address = data + SendErrorDecoder.EXTENDED_ERROR_SIZE;
        if (offenderFamily == 0) {
            memory.setMemory(address, addressSize, (byte) 0);
        } else {
            Sockaddr.write(memory, address, offender, offenderFamily);
        }
        return aligned;
    }

    /** Writes a control message header for {@code dataLength} bytes (zeroed); returns its aligned length. */
    private int writeControlMessage(int offset, int level, int type, int dataLength) {
        Memory memory = header.memory();
        long start = header.controlOffset() + offset;
        memory.setMemory(start, MessageHeader.align(MessageHeader.CMSG_HEADER_SIZE + dataLength), (byte) 0);
        memory.setLong(start, MessageHeader.CMSG_HEADER_SIZE + dataLength);
        memory.setInt(start + 8, level);
        memory.setInt(start + 12, type);
        return MessageHeader.align(MessageHeader.CMSG_HEADER_SIZE + dataLength);
    }
}
