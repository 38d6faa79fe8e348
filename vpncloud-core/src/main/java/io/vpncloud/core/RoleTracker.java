package io.vpncloud.core;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.VpnEvent;
import io.vpncloud.api.VpnEvent.Role;
import io.vpncloud.core.route.ClaimEntry;
import io.vpncloud.core.route.ClaimRouter;
import io.vpncloud.core.wire.MalformedMessageException;
import io.vpncloud.core.wire.NodeInfo;
import io.vpncloud.core.wire.RoutesInUse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether this node is active or standby for each of its claims: active while at least one peer routes the claim
 * to this node. Peers built with this library say where they route each range in a NodeInfo extension
 * ({@link RoutesInUse}); reference peers do not, so they never make a node active. A node that spreads flows
 * names every claimant of a range, since any of them may get some of its flows. Used on the control thread.
 */
final class RoleTracker {
    private static final Logger LOG = LoggerFactory.getLogger(RoleTracker.class);

    private final NodeId self;
    private final List<IpRange> ownClaims;
    private final EventDispatcher events;
    private final boolean spreadFlows;
    private final Map<IpRange, Role> roles = new LinkedHashMap<>();

    RoleTracker(NodeId self, List<IpRange> ownClaims, EventDispatcher events, boolean spreadFlows) {
        this.self = self;
        this.spreadFlows = spreadFlows;
        this.ownClaims = List.copyOf(ownClaims);
        this.events = events;
        for (IpRange claim : ownClaims) {
            roles.put(claim, Role.STANDBY);
        }
    }

    /** Records which of our claims {@code peer} routes to us, from its NodeInfo. */
    void learn(Peer peer, NodeInfo info) {
        Set<IpRange> toUs = new HashSet<>();
        try {
            for (RoutesInUse.Route route : RoutesInUse.from(info).routes()) {
                if (route.owner().equals(self)) {
                    toUs.add(route.range());
                }
            }
        } catch (MalformedMessageException e) {
            LOG.debug("ignoring a malformed routes extension from {}: {}", peer, e.reason());
        }
        peer.routedToUs = Set.copyOf(toUs);
    }

    /** Recomputes the roles from the connected peers and announces the changes. */
    void update(Collection<Peer> peers, boolean claimsWithdrawn) {
        for (Map.Entry<IpRange, Role> entry : roles.entrySet()) {
            Role role = users(entry.getKey(), peers, claimsWithdrawn) > 0 ? Role.ACTIVE : Role.STANDBY;
            if (role != entry.getValue()) {
                entry.setValue(role);
                LOG.info("this node is now {} for {}", role, entry.getKey());
                events.fire(new VpnEvent.RoleChanged(entry.getKey(), role));
            }
        }
    }

    /** Our claims with their roles, for the status. */
    List<NodeStatus.OwnClaim> status(Collection<Peer> peers, boolean claimsWithdrawn) {
        List<NodeStatus.OwnClaim> result = new ArrayList<>();
        for (Map.Entry<IpRange, Role> entry : roles.entrySet()) {
            result.add(new NodeStatus.OwnClaim(entry.getKey(), entry.getValue(),
                    users(entry.getKey(), peers, claimsWithdrawn)));
        }
        return result;
    }

    private static int users(IpRange claim, Collection<Peer> peers, boolean claimsWithdrawn) {
        if (claimsWithdrawn) {
            return 0;
        }
        int users = 0;
        for (Peer peer : peers) {
            if (peer.routedToUs.contains(claim)) {
                users++;
            }
        }
        return users;
    }

    /**
     * Which claimant this node routes each range to, for its peers' roles: the first claimant, or when spreading
     * flows every claimant. Ranges this node claims itself are left out: its own traffic to them stays local, so it
     * is nobody's user.
     */
    RoutesInUse routesInUse(ClaimRouter<Peer> router) {
        List<RoutesInUse.Route> routes = new ArrayList<>();
        for (ClaimEntry<Peer> entry : router.table()) {
            if (routes.size() == RoutesInUse.MAX_ROUTES) {
                break;
            }
            if (ownClaims.contains(entry.range())) {
                continue;
            }
            List<Peer> inUse = spreadFlows ? entry.claimants() : List.of(entry.owner());
            for (Peer claimant : inUse) {
                if (routes.size() < RoutesInUse.MAX_ROUTES) {
                    routes.add(new RoutesInUse.Route(entry.range(), claimant.nodeId));
                }
            }
        }
        return new RoutesInUse(routes);
    }
}
