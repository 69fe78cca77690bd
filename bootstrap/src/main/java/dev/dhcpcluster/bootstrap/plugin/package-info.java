/**
 * The adapters a node can run: the providers {@link java.util.ServiceLoader} finds on the class
 * path and in a directory of plugin jars ({@link dev.dhcpcluster.bootstrap.plugin.AdapterCatalog}),
 * and the one a node file chose, configured ({@link dev.dhcpcluster.bootstrap.plugin.AdapterChoice}).
 */
package dev.dhcpcluster.bootstrap.plugin;
