/**
 * Files that hold secrets: the rule that only the node's user may read them (as ssh asks of a
 * key), the cluster's shared secret, and the TLS context built from key and trust stores.
 */
package dev.dhcpcluster.bootstrap.secret;
