/**
 * A DHCP test client as a library: {@link dev.dhcpcluster.testkit.client.ClientSession}, one
 * client's DISCOVER, REQUEST, renewal and release as a state machine without I/O that checks every
 * answer; {@link dev.dhcpcluster.testkit.client.LoadGenerator}, many sessions at a set concurrency
 * with retries and duplicate detection; and {@link dev.dhcpcluster.testkit.client.DhcpClient},
 * which runs a load over UDP as a relay does and reports it ({@link
 * dev.dhcpcluster.testkit.client.ClientReport}). The {@code client} command of the node is this
 * client.
 */
package dev.dhcpcluster.testkit.client;
