package dev.dhcpcluster.bootstrap.architecture.violations;

import java.util.UUID;

/** Makes an identifier from the platform's random source. */
public final class UsesRandomUuid {

    String name() {
        return UUID.randomUUID().toString();
    }
}
