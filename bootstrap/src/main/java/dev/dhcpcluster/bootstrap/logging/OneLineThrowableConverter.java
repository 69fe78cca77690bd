package dev.dhcpcluster.bootstrap.logging;

import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/**
 * {@code %oneLineEx}: the event's exception, if any, on the event's own line. It starts with
 * {@code " | "} and reads like a stack trace whose lines are joined by {@code " | "}: the class and
 * message, {@code at} each frame, then {@code caused by:} and {@code suppressed:} exceptions the
 * same way, with the frames a cause shares with its parent counted, not repeated.
 *
 * <p>Why the frames are kept: the exceptions that reach a node's log are the unexpected ones (a
 * task that threw on the event loop, a transport's handler that failed, a store writer that died),
 * and for those the frames are what finds the bug; a node cannot always be run again at DEBUG to
 * show them. Expected failures are logged as one-line messages without an exception. Kept on one
 * line, a trace cannot be cut apart by a tool that reads the log line by line, nor interleaved with
 * other lines. Messages are escaped as in {@link OneLineMessageConverter}.
 */
public final class OneLineThrowableConverter extends ThrowableHandlingConverter {

    private static final String SEPARATOR = " | ";

    @Override
    public String convert(ILoggingEvent event) {
        IThrowableProxy throwable = event.getThrowableProxy();
        if (throwable == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(512);
        append(out, throwable, "");
        return out.toString();
    }

    private static void append(StringBuilder out, IThrowableProxy throwable, String prefix) {
        out.append(SEPARATOR).append(prefix).append(throwable.getClassName());
        if (throwable.getMessage() != null) {
            out.append(": ").append(LineBreaks.escape(throwable.getMessage()));
        }
        StackTraceElementProxy[] frames = throwable.getStackTraceElementProxyArray();
        int common = throwable.getCommonFrames();
        for (int i = 0; i < frames.length - common; i++) {
            out.append(SEPARATOR).append("at ").append(LineBreaks.escape(frames[i].getStackTraceElement().toString()));
        }
        if (common > 0) {
            out.append(SEPARATOR).append("... ").append(common).append(" common frames omitted");
        }
        IThrowableProxy[] suppressed = throwable.getSuppressed();
        if (suppressed != null) {
            for (IThrowableProxy each : suppressed) {
                append(out, each, "suppressed: ");
            }
        }
        if (throwable.getCause() != null) {
            append(out, throwable.getCause(), "caused by: ");
        }
    }
}
