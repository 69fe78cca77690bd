/**
 * Classes that break the rules core must keep, on purpose: the architecture tests check that each
 * rule rejects them, so that a rule that can never fail is noticed. Never instantiated.
 */
package dev.dhcpcluster.bootstrap.architecture.violations;
