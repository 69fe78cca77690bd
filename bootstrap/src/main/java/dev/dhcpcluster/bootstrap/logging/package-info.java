/**
 * How a node's log lines look: the pieces of the readable text format that keep every event on
 * one line, whatever its message or exception holds. The formats themselves are Logback
 * configuration ({@code dhcpcluster-logback.xml} and the {@code dhcpcluster-log-*.xml} it includes).
 */
package dev.dhcpcluster.bootstrap.logging;
