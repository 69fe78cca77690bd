package dev.dhcpcluster.bootstrap.admin;

import com.google.common.util.concurrent.Service;
import dagger.Module;
import dagger.Provides;
import dagger.multibindings.ElementsIntoSet;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import java.util.Set;
import javax.inject.Provider;

/**
 * The admin endpoint as one of the node's services, unless the file turns it off
 * ({@code "admin": {"enabled": false}}): then it is never built, and nothing listens.
 */
@Module
public final class AdminModule {

    private AdminModule() {
    }

    @Provides
    @ElementsIntoSet
    static Set<Service> adminService(NodeConfig config, Provider<AdminService> admin) {
        return config.admin().enabled() ? Set.of(admin.get()) : Set.of();
    }
}
