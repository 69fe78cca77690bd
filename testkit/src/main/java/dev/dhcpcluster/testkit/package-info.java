/**
 * What an integrator puts on a test class path to test a transport, a lease store or an embedded
 * node: {@link dev.dhcpcluster.testkit.LoopbackTransport}, a transport without a network that a
 * test feeds requests and reads replies from; {@link dev.dhcpcluster.testkit.LoopbackExchange},
 * which runs a test client's session through one against an in-process server; and {@link
 * dev.dhcpcluster.testkit.ThreadScheduler}, a real-time clock and scheduler on a thread of its own.
 * The DHCP test client is in {@code client}; the contract tests to extend are in {@code contract}.
 */
package dev.dhcpcluster.testkit;
