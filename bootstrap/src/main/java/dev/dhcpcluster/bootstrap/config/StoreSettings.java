package dev.dhcpcluster.bootstrap.config;

import java.util.Objects;

/**
 * The {@code "lease-store"} section, resolved.
 *
 * @param type the store's name, one of {@link AdapterNames#STORES}
 */
public record StoreSettings(String type) {

    public StoreSettings {
        Objects.requireNonNull(type, "type");
    }
}
