package dev.dhcpcluster.bootstrap.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.joran.util.ConfigurationWatchListUtil;
import dev.dhcpcluster.core.text.SafeText;
import java.net.URL;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Controls the logging backend from the command line. */
final class Logging {

    /** The system property that chooses the log format, as {@code --log-format} does. */
    static final String FORMAT_PROPERTY = "dhcpcluster.log.format";

    /** Logback's system property that names its configuration file (a class path resource, a file or a URL). */
    static final String LOGBACK_CONFIGURATION_PROPERTY = "logback.configurationFile";

    /**
     * The command's Logback configuration, a class path resource. It is not named {@code
     * logback.xml}: the bootstrap jar is also a library, and a {@code logback.xml} inside it would
     * compete with the configuration of every application that depends on it.
     */
    static final String CONFIGURATION_RESOURCE = "dhcpcluster-logback.xml";

    /** The levels {@code --log-level} accepts. */
    enum LogLevel {
        TRACE, DEBUG, INFO, WARN, ERROR, OFF
    }

    /**
     * The formats {@code --log-format} accepts. Each is a Logback file, {@code
     * dhcpcluster-log-<name>.xml}, that {@code dhcpcluster-logback.xml} includes by the format's name.
     */
    enum LogFormat {
        /** Readable lines: time, level, logger, message (the default). */
        TEXT,
        /** JSON lines: one object per event, from Logback's {@code JsonEncoder}. */
        JSON;

        /** The name as the property and the configuration file spell it. */
        String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private Logging() {
    }

    /**
     * Points Logback at the command's configuration, unless {@code -Dlogback.configurationFile}
     * names another. Logback reads the property once, when the first logger is made, so the
     * command calls this before anything logs; later it changes nothing.
     */
    static void useCommandConfiguration() {
        if (System.getProperty(LOGBACK_CONFIGURATION_PROPERTY) == null) {
            System.setProperty(LOGBACK_CONFIGURATION_PROPERTY, CONFIGURATION_RESOURCE);
        }
    }

    /**
     * Sends what libraries log through {@code java.util.logging} (Guava's {@code ServiceManager}
     * reports a failed service there) to the same appenders as everything else, so that those
     * events too are one line in the chosen format instead of JUL's own two-line records on
     * stderr. Idempotent.
     */
    static synchronized void bridgeJavaUtilLogging() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    /** Sets the level of every logger that does not set its own. */
    static void setLevel(LogLevel level) {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.toLevel(level.name()));
        }
    }

    /**
     * Switches every log line to {@code format}: reads the logging configuration again with the
     * format set, keeping the root level (which {@code --log-level} may have set before). The
     * format given here wins over the system property.
     */
    static void setFormat(LogFormat format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        URL configuration = ConfigurationWatchListUtil.getMainWatchURL(context);
        if (configuration == null) {
            configuration = Logging.class.getResource("/" + CONFIGURATION_RESOURCE);
        }
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        context.reset();
        // After the reset, which clears the context's properties; they rank above system properties.
        context.putProperty(FORMAT_PROPERTY, format.value());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(configuration);
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure logging from " + configuration + ": " + e.getMessage(), e);
        }
        root.setLevel(level);
    }

    /**
     * What is wrong with the format the system property names, if anything: checked before the
     * logging backend starts, since a format it cannot find would leave a node without logs.
     */
    static Optional<String> formatPropertyProblem() {
        String value = System.getProperty(FORMAT_PROPERTY);
        if (value == null || Arrays.stream(LogFormat.values()).anyMatch(format -> format.value().equals(value))) {
            return Optional.empty();
        }
        return Optional.of("-D" + FORMAT_PROPERTY + ": \"" + SafeText.inline(value)
                + "\" is not a log format; use text or json");
    }

    /** Writes out every queued log line and stops the backend; call last, before the JVM exits. */
    static void flush() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
