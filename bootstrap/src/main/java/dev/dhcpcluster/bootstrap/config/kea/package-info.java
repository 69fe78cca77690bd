/**
 * {@code dhcpcluster config import-kea}: converts a Kea DHCPv4 configuration file into a node
 * file, and reports, with its Kea JSON path, every setting it could not convert or converted with a
 * change in meaning.
 */
package dev.dhcpcluster.bootstrap.config.kea;
