/**
 * The plugin SPI: how a node finds its adapters by the names its configuration file gives.
 *
 * <p>A transport, a lease store or a peer transport is offered to the node by a provider
 * ({@link dev.dhcpcluster.port.plugin.DhcpTransportProvider},
 * {@link dev.dhcpcluster.port.plugin.LeaseStoreProvider},
 * {@link dev.dhcpcluster.port.plugin.PeerTransportProvider}) that
 * {@link java.util.ServiceLoader} finds: the jar lists the provider's class in
 * {@code META-INF/services/} under the provider interface's name. The adapters the project ships
 * register the same way: none is special.
 *
 * <p>A provider's life has two steps, kept apart so that a configuration can be checked without
 * building anything:
 * <ol>
 *   <li>{@link dev.dhcpcluster.port.plugin.AdapterProvider#configure configure} reads the adapter's
 *       own section of the node file through {@link dev.dhcpcluster.port.plugin.AdapterSettings},
 *       which reports every bad or unknown field under its JSON path, and returns a factory;</li>
 *   <li>when the node starts, the factory {@link dev.dhcpcluster.port.plugin.AdapterFactory#create
 *       creates} the adapter with the node's {@link dev.dhcpcluster.port.plugin.NodeContext}.</li>
 * </ol>
 */
package dev.dhcpcluster.port.plugin;
