package io.vpncloud.core;

import io.vpncloud.api.IpRange;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.vpncloud.core.NumberedPackets.number;
import static io.vpncloud.core.NumberedPackets.numbered;
import static io.vpncloud.core.NumberedPackets.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The receive thread sends on what the device answers during a write (SendPath.sendReady): a request through a
 * node is answered without its send thread, and when both threads send, packets leave in the device's order.
 */
class ReceiveThreadAnswersTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final IpRange SERVER = IpRange.parse("10.1.0.2/24");
    /** How long without control messages counts as a settled connection. */
    private static final Duration SETTLED = Duration.ofMillis(100);

    @Test
    void answersGoOutWhileTheSendThreadIsHeld() throws Exception {
        // The gate holds the server's send thread in awaitReadable for good: only the receive thread can send.
        AnsweringDevice device = new AnsweringDevice(SERVER, (request, sequence) ->
                Ipv4Packets.udp("10.1.0.2", "10.1.0.1", "answer to " + Ipv4Packets.payloadText(request)), false);
        try (TestNode client = TestNode.start("client", "10.1.0.1/24", o -> o);
             VpnNode server = server(device, client.address(), null)) {
            awaitSettled(client, server);
            for (int i = 0; i < 20; i++) {
                quietSpell(); // the receive thread answers after one; under load the awake send thread does
                client.send("10.1.0.1", "10.1.0.2", "request " + i);
                byte[] answer = client.receive(WAIT).orElseThrow(() -> new AssertionError("no answer"));
                assertEquals("answer to request " + i, Ipv4Packets.payloadText(answer));
            }
            // The counter follows the send; wait for it rather than race it.
            client.awaitCondition(WAIT, "the server counting 20 packets out",
                    () -> server.status().traffic().packetsOut() == 20);
        }
    }

    @Test
    void aDeviceThatBreaksWhileAnsweringCostsThatAnswerNotTheReceiveThread() throws Exception {
        AnsweringDevice device = new AnsweringDevice(SERVER, (request, sequence) -> {
            String text = Ipv4Packets.payloadText(request);
            return text.equals("break") ? new byte[0] : Ipv4Packets.udp("10.1.0.2", "10.1.0.1", "answer to " + text);
        }, false);
        try (TestNode client = TestNode.start("client", "10.1.0.1/24", o -> o);
             VpnNode server = server(device, client.address(), null)) {
            awaitSettled(client, server);
            quietSpell();
            client.send("10.1.0.1", "10.1.0.2", "break");
            // Two requests after it: should the broken answer not be read at once (the break did not come after a
            // quiet spell, a control message having come just before), the first of them costs it instead.
            for (int i = 0; i < 2; i++) {
                quietSpell();
                client.send("10.1.0.1", "10.1.0.2", "after " + i);
            }
            byte[] answer = client.receive(WAIT).orElseThrow(() -> new AssertionError("no answer after the break"));
            String text = Ipv4Packets.payloadText(answer);
            assertTrue(text.equals("answer to after 0") || text.equals("answer to after 1"), text);
        }
    }

    @RepeatedTest(3) // a race between the two threads shows in some runs only
    void answersAndOtherPacketsLeaveInTheDevicesOrder() throws Exception {
        int requests = 2000;
        int injected = 2000;
        AnsweringDevice device = new AnsweringDevice(SERVER, (request, sequence) -> numbered(sequence), true);
        try (TestNode client = TestNode.start("client", "10.1.0.1/24", o -> o);
             VpnNode server = server(device, client.address(), null)) {
            awaitSettled(client, server);
            // The client's requests make the server's receive thread send answers, while packets the host sends
            // at the same time go out through the send thread: both threads take from one device queue.
            CompletableFuture<Void> requesting = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < requests; i++) {
                        if (i % 10 == 0) {
                            quietSpell(); // so that the receive thread sends answers now and then
                        }
                        client.send("10.1.0.1", "10.1.0.2", "request");
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            CompletableFuture<Void> injecting = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < injected; i++) {
                    device.inject(NumberedPackets::numbered);
                }
            });
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < requests + injected; i++) {
                byte[] packet = client.receive(WAIT).orElseThrow(() -> new AssertionError("lost after "
                        + order.size() + " packets"));
                order.add(number(packet));
            }
            requesting.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            injecting.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            for (int i = 0; i < order.size(); i++) {
                assertEquals(i, order.get(i), "packet " + i + " of the device's sequence came out as number "
                        + order.get(i));
            }
        }
    }

    @Test
    void anAnswerOfManyPacketsFromOneReadGoesOutWhole() throws Exception {
        // 20 packets per answer from one read, as the segments of a TCP super-packet: more than the receive thread
        // sends per turn, and the send thread, waiting on the "kernel's" queue, would not see what it left behind.
        int parts = 20;
        AnsweringDevice device = new AnsweringDevice(SERVER, (request, sequence) -> numbered(sequence), parts, true);
        try (TestNode client = TestNode.start("client", "10.1.0.1/24", o -> o);
             VpnNode server = server(device, client.address(), null)) {
            awaitSettled(client, server);
            for (int request = 0; request < 10; request++) {
                quietSpell();
                client.send("10.1.0.1", "10.1.0.2", "request");
                for (int part = 0; part < parts; part++) {
                    int expected = request * parts + part;
                    byte[] packet = client.receive(WAIT).orElseThrow(() -> new AssertionError("packet " + expected
                            + " of the answers did not come"));
                    assertEquals(expected, number(packet));
                }
            }
        }
    }

    @Test
    void controlMessagesAloneDoNotMakeTheReceiveThreadAskTheDevice() throws Exception {
        // Keepalives every 50 ms come after a quiet spell each; only a data packet written can have an answer.
        AnsweringDevice device = new AnsweringDevice(SERVER, (request, sequence) -> null, true);
        try (TestNode client = TestNode.start("client", "10.1.0.1/24", o -> o.keepalive(Duration.ofMillis(50)));
             VpnNode server = server(device, client.address(), null)) {
            client.awaitRoutedBy(server, "10.1.0.1", WAIT);
            int before = device.emptyReads();
            client.awaitControlRounds(20, WAIT);
            assertEquals(0, device.emptyReads() - before, "reads of the device after 20 rounds of keepalives");
        }
    }

    /**
     * Until the server routes to the client and the control messages of the new connection have died down: the
     * receive thread answers only after a quiet spell, which a late control message would cut short.
     */
    private static void awaitSettled(TestNode client, VpnNode server) throws InterruptedException {
        client.awaitRoutedBy(server, "10.1.0.1", WAIT);
        long[] lastCount = {-1};
        long[] lastChange = {0};
        client.awaitCondition(WAIT, "without control messages for " + SETTLED.toMillis() + " ms", () -> {
            long count = client.node.status().traffic().controlPacketsOut()
                    + server.status().traffic().controlPacketsOut();
            long now = System.nanoTime();
            if (count != lastCount[0]) {
                lastCount[0] = count;
                lastChange[0] = now;
                return false;
            }
            return now - lastChange[0] >= SETTLED.toNanos();
        });
    }

    /**
     * A pause longer than the receive thread's quiet spell (1 ms). Not a wait for an event: the pause itself is
     * the condition under which the receive thread sends answers.
     */
    private static void quietSpell() throws InterruptedException {
        Thread.sleep(3);
    }

}
