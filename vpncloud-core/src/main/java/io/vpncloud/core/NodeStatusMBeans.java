package io.vpncloud.core;

import javax.management.JMException;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/** Registers a node's {@link NodeStatusMXBean} with the platform MBean server. */
public final class NodeStatusMBeans {

    private NodeStatusMBeans() {
    }

    /**
     * The name a node's bean is registered under: {@code io.vpncloud:type=VpnNode,id=<node id>}.
     *
     * @param node a node
     * @return its bean's name
     */
    public static ObjectName name(VpnNode node) {
        try {
            return new ObjectName("io.vpncloud:type=VpnNode,id=" + node.nodeId());
        } catch (MalformedObjectNameException e) {
            throw new AssertionError("a hex id makes a valid name", e);
        }
    }

    /**
     * Registers the node's status bean with the platform MBean server; unregister it when the node is closed.
     *
     * @param node a started node
     * @return the name it is registered under, see {@link #name(VpnNode)}
     * @throws JMException when a bean of that name is registered already
     */
    public static ObjectName register(VpnNode node) throws JMException {
        ObjectName name = name(node);
        ManagementFactory.getPlatformMBeanServer().registerMBean(new NodeStatusView(node), name);
        return name;
    }

    /**
     * Unregisters the node's status bean; nothing happens when there is none.
     *
     * @param node the node
     * @throws JMException when the MBean server refuses
     */
    public static void unregister(VpnNode node) throws JMException {
        ObjectName name = name(node);
        if (ManagementFactory.getPlatformMBeanServer().isRegistered(name)) {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        }
    }
}
