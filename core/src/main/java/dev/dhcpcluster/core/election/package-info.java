/**
 * The bully election with epochs: a single-threaded state machine that decides which node leads
 * the cluster, such that no two nodes ever lead one epoch and a node leads only while a majority
 * of the configured cluster acknowledges its epoch.
 */
package dev.dhcpcluster.core.election;
