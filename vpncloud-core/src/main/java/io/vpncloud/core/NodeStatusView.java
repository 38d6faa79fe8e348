package io.vpncloud.core;

/** The {@link NodeStatusMXBean} of one node: each attribute from a fresh {@link VpnNode#status()}. */
final class NodeStatusView implements NodeStatusMXBean {
    private final VpnNode node;

    NodeStatusView(VpnNode node) {
        this.node = node;
    }

    @Override
    public String getNodeId() {
        return node.nodeId().toString();
    }

    @Override
    public String getListenAddress() {
        return node.status().listen().toString();
    }

    @Override
    public int getPeerCount() {
        return node.status().peers().size();
    }

    @Override
    public String[] getPeers() {
        return node.status().peers().stream()
                .map(p -> p.address() + " " + p.nodeId() + " " + p.algorithm()).toArray(String[]::new);
    }

    @Override
    public String[] getClaims() {
        return node.status().claims().stream()
                .map(c -> c.range() + " " + c.nodeId() + " " + c.address() + (c.active() ? " active" : ""))
                .toArray(String[]::new);
    }

    @Override
    public String[] getOwnClaims() {
        return node.status().ownClaims().stream()
                .map(c -> c.range() + " " + c.role() + " " + c.users()).toArray(String[]::new);
    }

    @Override
    public long getPacketsIn() {
        return node.status().traffic().packetsIn();
    }

    @Override
    public long getBytesIn() {
        return node.status().traffic().bytesIn();
    }

    @Override
    public long getPacketsOut() {
        return node.status().traffic().packetsOut();
    }

    @Override
    public long getBytesOut() {
        return node.status().traffic().bytesOut();
    }

    @Override
    public long getDropped() {
        return node.status().traffic().dropped();
    }

    @Override
    public long getInvalid() {
        return node.status().traffic().invalid();
    }
}
