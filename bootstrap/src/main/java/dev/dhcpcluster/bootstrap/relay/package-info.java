/**
 * The relay agent as a program ({@code dhcpcluster relay --config FILE}): its config file
 * ({@link dev.dhcpcluster.bootstrap.relay.RelayConfigReader}), its runtime around core's forwarding
 * rules ({@link dev.dhcpcluster.bootstrap.relay.RelayRuntime}), its counters and metrics, its admin
 * endpoint ({@link dev.dhcpcluster.bootstrap.relay.RelayAdmin}) and the watch that reloads it when
 * its file changes. A relay keeps no state on disk.
 */
package dev.dhcpcluster.bootstrap.relay;
