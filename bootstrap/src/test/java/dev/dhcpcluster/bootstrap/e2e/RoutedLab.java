package dev.dhcpcluster.bootstrap.e2e;

import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A routed network for a relay agent: a server LAN (the lab's first switch, {@code br0}, where
 * {@link LabCluster} puts its three nodes at 198.18.0.N/21) and a client LAN (a second switch),
 * joined by a router host that forwards IPv4 between them, as a relay's host does in a real
 * network. The router is 198.18.0.254/21 on the server LAN ({@code eth0}) and 198.18.64.1/21 on
 * the client LAN ({@code eth1}), the interface a relay serves and the giaddr of what it relays.
 *
 * <p>The client LAN, 198.18.64.0/21, is the nodes' one subnet ({@link #CLIENT_SUBNET}): nothing
 * on it reaches them but what is relayed or routed, so every lease they give lies in it. It is a
 * /21 rather than a /24 because a cluster splits its pool into blocks of 256 addresses, and each
 * of the three nodes needs a block of its own for the clients of its buckets; 2,033 addresses make
 * 8 blocks. Clients' default route, and the nodes' route to the client LAN, go through the router,
 * so a client's unicast renewal and release reach the node that served it, and the node's answer
 * comes back, without the relay.
 *
 * <p>{@link #createWithNode1OnRouter} builds the same network with a router that is node 1's host
 * as well (its server-LAN address is node 1's, 198.18.0.1), for a relay in one process with a node.
 */
public final class RoutedLab {

    /** The client LAN. */
    public static final String CLIENT_LAN = "198.18.64.0/21";
    /** The router's address on the client LAN: the relay's interface address and giaddr, and the clients' gateway. */
    public static final String ROUTER_CLIENT_SIDE = "198.18.64.1";
    /** The router's address on the server LAN, the nodes' gateway to the client LAN. */
    public static final String ROUTER_SERVER_SIDE = "198.18.0.254";
    /** The router's interface on the client LAN, which a relay on the router serves. */
    public static final String CLIENT_INTERFACE = "eth1";
    /** The nodes' subnet: the client LAN, its pool 198.18.64.10 to 198.18.71.250, the router as its router option. */
    public static final NodeConfigFile.Subnet CLIENT_SUBNET = new NodeConfigFile.Subnet(
            1, CLIENT_LAN, "198.18.64.10", "198.18.71.250", ROUTER_CLIENT_SIDE, List.of());

    private static final String CLIENT_PREFIX = "/21";

    /** The node that runs on the router in a lab of {@link #createWithNode1OnRouter}. */
    private static final int NODE_ON_ROUTER = 1;

    private final NetworkLab lab;
    private final String clientSwitch;
    private final LabHost router;
    private final LabHost routerClientSide;
    /** The router's address on the server LAN: {@link #ROUTER_SERVER_SIDE}, or node 1's when node 1 runs on it. */
    private final String routerServerSide;
    private final boolean node1OnRouter;

    private RoutedLab(NetworkLab lab, String clientSwitch, LabHost router, LabHost routerClientSide,
            String routerServerSide, boolean node1OnRouter) {
        this.lab = lab;
        this.clientSwitch = clientSwitch;
        this.router = router;
        this.routerClientSide = routerClientSide;
        this.routerServerSide = routerServerSide;
        this.node1OnRouter = node1OnRouter;
    }

    /** Adds the client LAN's switch and the router, forwarding, to {@code lab}; no node yet. */
    public static RoutedLab create(NetworkLab lab) {
        return create(lab, ROUTER_SERVER_SIDE, false);
    }

    /**
     * Like {@link #create}, but the router is also the host of node 1, which {@link #startCluster}
     * starts there: its server-LAN address is node 1's ({@link LabCluster#address}), and the other
     * nodes route the client LAN through it.
     */
    public static RoutedLab createWithNode1OnRouter(NetworkLab lab) {
        return create(lab, LabCluster.address(NODE_ON_ROUTER), true);
    }

    private static RoutedLab create(NetworkLab lab, String routerServerSide, boolean node1OnRouter) {
        String clientSwitch = lab.addSwitch();
        LabHost router = lab.addHost("router", routerServerSide + LabCluster.LINK_PREFIX);
        LabHost routerClientSide = lab.plug(router, clientSwitch, CLIENT_INTERFACE, ROUTER_CLIENT_SIDE + CLIENT_PREFIX);
        router.enableForwarding();
        return new RoutedLab(lab, clientSwitch, router, routerClientSide, routerServerSide, node1OnRouter);
    }

    /** A node config serving {@code eth0} by UDP with {@link #CLIENT_SUBNET} as its one subnet. */
    public static NodeConfigFile nodeConfig() {
        return NodeConfigFile.servingInterface("eth0").withSubnet(CLIENT_SUBNET);
    }

    /**
     * Starts the three nodes on the server LAN (see {@link LabCluster#start}) and routes each
     * one's traffic for the client LAN through the router.
     */
    public LabCluster startCluster(NodeConfigFile dhcp) {
        return startCluster(id -> dhcp);
    }

    /**
     * Like {@link #startCluster(NodeConfigFile)}, with node N's config {@code configs.apply(N)}; in a
     * lab of {@link #createWithNode1OnRouter}, node 1 runs on the router, which needs no route.
     */
    public LabCluster startCluster(IntFunction<NodeConfigFile> configs) {
        LabCluster cluster = LabCluster.start(lab, configs, node1OnRouter ? Map.of(NODE_ON_ROUTER, router) : Map.of());
        for (int id : node1OnRouter ? LabCluster.allBut(NODE_ON_ROUTER) : LabCluster.all()) {
            cluster.node(id).host().addRoute(CLIENT_LAN, routerServerSide);
        }
        return cluster;
    }

    /**
     * A DHCP client's host on the client LAN: no address, the MAC address {@code mac} (so that a
     * test chooses the client's RFC 3074 bucket), and the router as its default gateway.
     */
    public LabHost clientHost(String role, String mac) {
        LabHost host = lab.addHostOnSwitch(clientSwitch, role);
        host.setMacAddress(mac);
        host.setDefaultRoute(ROUTER_CLIENT_SIDE);
        return host;
    }

    /** A host on the client LAN with the fixed address {@code address} (outside the pool) and the router as its gateway. */
    public LabHost clientHostWithAddress(String role, String address) {
        if (CLIENT_SUBNET.poolContains(address) || !LabAddresses.inSubnet(address, CLIENT_LAN)) {
            throw new IllegalArgumentException("a fixed address on the client LAN lies outside the pool: " + address);
        }
        LabHost host = lab.addHostOnSwitch(clientSwitch, role, address + CLIENT_PREFIX);
        host.setDefaultRoute(ROUTER_CLIENT_SIDE);
        return host;
    }

    /** A host on the server LAN with the address {@code address}, routing the client LAN through the router. */
    public LabHost serverLanHost(String role, String address) {
        LabHost host = lab.addHost(role, address + LabCluster.LINK_PREFIX);
        host.addRoute(CLIENT_LAN, routerServerSide);
        return host;
    }

    /** The router as seen on the server LAN ({@code eth0}). */
    public LabHost router() {
        return router;
    }

    /** The router as seen on the client LAN ({@code eth1}), the interface a relay there serves. */
    public LabHost routerClientSide() {
        return routerClientSide;
    }

    /** The lab this network is built in. */
    public NetworkLab lab() {
        return lab;
    }
}
