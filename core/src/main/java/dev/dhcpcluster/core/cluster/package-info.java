/**
 * The cluster's share of the work: which node answers which clients. Today it holds the client
 * hash buckets of RFC 3074 ({@link dev.dhcpcluster.core.cluster.LoadBalancing}), an assignment of
 * the buckets to nodes ({@link dev.dhcpcluster.core.cluster.BucketAssignment}) and the seam
 * through which the DHCP server asks whether a bucket is its own
 * ({@link dev.dhcpcluster.core.cluster.Responsibility}). Like the rest of core it does no I/O and
 * reads no clock.
 */
package dev.dhcpcluster.core.cluster;
