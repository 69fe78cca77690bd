/**
 * The admin HTTP endpoint of a node ({@code /status}, {@code /leases}, {@code /metrics},
 * {@code /reload}) on the JDK's HTTP server, the bearer token that guards what changes state, and
 * the client the {@code dhcpcluster} commands use to talk to it.
 */
package dev.dhcpcluster.bootstrap.admin;
