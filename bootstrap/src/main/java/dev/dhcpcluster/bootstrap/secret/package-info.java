/**
 * Files that hold secrets: the rule that only the node's user may read them (as ssh asks of a
 * key), and the cluster's shared secret. The TCP peer transport reads its TLS stores itself.
 */
package dev.dhcpcluster.bootstrap.secret;
