/**
 * Test code that more than one module needs. Nothing here ships: modules depend on it in test
 * scope only.
 */
package dev.dhcpcluster.testsupport;
