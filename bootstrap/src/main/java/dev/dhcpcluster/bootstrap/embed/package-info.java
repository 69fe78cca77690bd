/**
 * Runs a node inside another Java application: {@link dev.dhcpcluster.bootstrap.embed.DhcpNode}.
 * Nothing here needs Dagger, picocli or a logging backend on the caller's side.
 */
package dev.dhcpcluster.bootstrap.embed;
