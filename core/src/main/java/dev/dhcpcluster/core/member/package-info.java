/**
 * A cluster member's address space composed with its DHCP server: the lease store replicated to a
 * majority before each ACK, the leader's grant of blocks and buckets, and the server kept in step
 * with both ({@link dev.dhcpcluster.core.member.ClusterMember}). It reaches the outside through
 * ports only, so that the node's runtime and the full-stack simulation build the same member.
 */
package dev.dhcpcluster.core.member;
