/**
 * The peer ports: how the nodes of one cluster talk to each other ({@link
 * dev.dhcpcluster.port.peer.PeerTransport}, {@link dev.dhcpcluster.port.peer.PeerHandler}), what
 * they say ({@link dev.dhcpcluster.port.peer.PeerMessage}), and where a node keeps the one piece of
 * election state that must survive a restart ({@link dev.dhcpcluster.port.peer.VoteStore}).
 *
 * <p>An integrator who carries peer traffic another way (a message bus, an in-process queue)
 * implements {@code PeerTransport}, offers it to the node through a
 * {@link dev.dhcpcluster.port.plugin.PeerTransportProvider} (named in {@code cluster.transport}),
 * and runs the contract test {@code AbstractPeerTransportTest} from the ports test-jar against it.
 */
package dev.dhcpcluster.port.peer;
