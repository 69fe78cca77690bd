package dev.dhcpcluster.bootstrap.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Controls the logging backend from the command line. */
final class Logging {

    /** The levels {@code --log-level} accepts. */
    enum LogLevel {
        TRACE, DEBUG, INFO, WARN, ERROR, OFF
    }

    private Logging() {
    }

    /** Sets the level of every logger that does not set its own. */
    static void setLevel(LogLevel level) {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.toLevel(level.name()));
        }
    }

    /** Writes out every queued log line and stops the backend; call last, before the JVM exits. */
    static void flush() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
