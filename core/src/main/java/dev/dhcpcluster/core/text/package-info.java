/** Text a node prints: escaping of client-supplied strings for logs and command output. */
package dev.dhcpcluster.core.text;
