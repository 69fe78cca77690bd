/**
 * The relay agent's forwarding rules (RFC 1542 §4, RFC 2131 §4.1, RFC 3046) as pure functions of
 * a datagram's bytes: {@link dev.dhcpcluster.core.relay.RelayAgent} decides what a request from a
 * client becomes on its way to the servers, and what a server's reply becomes on its way back to
 * the client, or why either is dropped. It edits the received octets in place of re-encoding them,
 * so that a client's message reaches the server exactly as the client wrote it, with only the
 * fields a relay owns changed. Like the rest of core it does no I/O, reads no clock and keeps no
 * state between datagrams.
 */
package dev.dhcpcluster.core.relay;
