package dev.dhcpcluster.bootstrap.metrics;

import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** {@code dhcpcluster_build_info}: always 1, with the version of the running build as a label. */
public final class BuildInfo {

    /** The version label of a build not run from its packaged jar (tests, an IDE). */
    static final String DEVELOPMENT = "development";

    private BuildInfo() {
    }

    /** The version of this build: the jar's implementation version, or {@value #DEVELOPMENT}. */
    public static String version() {
        String version = BuildInfo.class.getPackage().getImplementationVersion();
        return version == null ? DEVELOPMENT : version;
    }

    /** Registers the build info in {@code registry}. */
    public static void register(PrometheusRegistry registry) {
        Info info = Info.builder()
                .name("dhcpcluster_build_info")
                .help("The build of dhcpcluster this node runs; the value is always 1")
                .labelNames("version")
                .register(registry);
        info.setLabelValues(version());
    }
}
