package io.vpncloud.core.peer;

import static io.vpncloud.core.peer.PeerTableTest.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.core.peer.MeshDecision.Outcome;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerMeshRuleTest {

    private static final NodeId OWN_ID = new NodeId(7, 7);
    private static final NodeId PEER_ID = new NodeId(1, 1);
    private static final NodeId NEW_ID = new NodeId(2, 2);
    private static final PeerAddress OWN = address("10.0.0.1", 3210);
    private static final PeerAddress PEER = address("10.0.0.2", 3210);
    private static final PeerAddress PENDING = address("10.0.0.3", 3210);
    private static final PeerAddress NEW_A = address("10.0.0.4", 3210);
    private static final PeerAddress NEW_B = address("fd00::4", 3210);

    private final MeshView view = new MeshView(OWN_ID, Set.of(OWN), Set.of(PEER), Set.of(PEER_ID), Set.of(PENDING));

    @Test
    void anUnknownPeerIsConnectedToAtEveryAddressOnce() {
        MeshDecision decision = PeerMeshRule.decide(NEW_ID, List.of(NEW_A, NEW_B, NEW_A), view);

        assertTrue(decision.connect());
        assertEquals(List.of(NEW_A, NEW_B), decision.addresses());
    }

    @Test
    void aPeerListedWithoutNodeIdIsConnectedToByAddress() {
        assertEquals(new MeshDecision(Outcome.CONNECT, List.of(NEW_A)), PeerMeshRule.decide(null, List.of(NEW_A), view));
    }

    @Test
    void anAddressThatIsAlreadyAPeerMeansNoConnection() {
        MeshDecision decision = PeerMeshRule.decide(NEW_ID, List.of(NEW_A, address("::ffff:10.0.0.2", 3210)), view);

        assertEquals(Outcome.KNOWN_ADDRESS, decision.outcome());
        assertFalse(decision.connect());
    }

    @Test
    void ourOwnNodeIdTeachesUsOurAddresses() {
        MeshDecision decision = PeerMeshRule.decide(OWN_ID, List.of(OWN, NEW_A), view);

        assertEquals(new MeshDecision(Outcome.OWN_NODE, List.of(NEW_A)), decision);
    }

    @Test
    void aNodeIdThatIsAlreadyAPeerMeansNoConnection() {
        assertEquals(Outcome.KNOWN_NODE, PeerMeshRule.decide(PEER_ID, List.of(NEW_A), view).outcome());
    }

    @Test
    void ourOwnAddressOrAPendingHandshakeMeansNoConnection() {
        assertEquals(Outcome.OWN_ADDRESS, PeerMeshRule.decide(NEW_ID, List.of(NEW_A, OWN), view).outcome());
        assertEquals(Outcome.PENDING, PeerMeshRule.decide(NEW_ID, List.of(PENDING), view).outcome());
    }

    @Test
    void aPeerWithoutAddressesCannotBeReached() {
        assertEquals(Outcome.NO_ADDRESS, PeerMeshRule.decide(NEW_ID, List.of(), view).outcome());
    }

    @Test
    void aKnownAddressIsCheckedBeforeTheNodeId() {
        // As in the reference: a listed address that is a peer ends the decision, even for our own id.
        assertEquals(Outcome.KNOWN_ADDRESS, PeerMeshRule.decide(OWN_ID, List.of(PEER), view).outcome());
    }
}
